FROM gradle:8.7-jdk21 AS build
WORKDIR /home/gradle/project
COPY --chown=gradle:gradle . .
RUN ./gradlew dependencies --no-daemon
RUN ./gradlew installDist --no-daemon

FROM eclipse-temurin:21-jre
COPY --from=build /home/gradle/project/build/install/ktor-api /opt/ktor-api
ENTRYPOINT ["/opt/ktor-api/bin/ktor-api"]
