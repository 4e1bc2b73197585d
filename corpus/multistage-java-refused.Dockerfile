# The jar is named by a wildcard, so which file the program runs is not known.
FROM maven:3.9.6-eclipse-temurin-17

WORKDIR /build
COPY . .
RUN mvn -B package -DskipTests

EXPOSE 8080
CMD java -jar target/*.jar
