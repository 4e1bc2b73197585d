FROM gradle:8.5-jdk17

WORKDIR /home/gradle/project

COPY . .

RUN gradle clean
RUN gradle shadowJar --no-daemon
RUN cp build/libs/*-all.jar /app.jar

ENV KTOR_ENV production
ENV JAVA_OPTS "-Xms256m -Xmx512m"

EXPOSE 8080

HEALTHCHECK --interval=1m --timeout=10s CMD curl --fail http://localhost:8080/health || exit 1

CMD java $JAVA_OPTS -jar /app.jar
