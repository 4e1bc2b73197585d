FROM eclipse-temurin:21-jdk AS build
WORKDIR /workspace
COPY . .
RUN ./mvnw -B dependency:go-offline
RUN ./mvnw -B -o package -DskipTests

FROM eclipse-temurin:21-jre
COPY --from=build /workspace/target/orders-1.0.0.jar /app.jar
ENTRYPOINT ["java", "-jar", "/app.jar"]
