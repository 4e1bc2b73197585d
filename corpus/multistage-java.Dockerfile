FROM maven:3.9.6-eclipse-temurin-17

WORKDIR /build
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests

ENV JAVA_TOOL_OPTIONS="-XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/build/target/orders-1.4.0.jar"]
