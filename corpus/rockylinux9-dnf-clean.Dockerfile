FROM rockylinux/rockylinux:9-minimal AS base
RUN microdnf -y install shadow-utils java-17-openjdk-headless \
 && microdnf clean all \
 && useradd --uid 1001 --gid 0 --no-create-home jobs

FROM base
WORKDIR /opt/scheduler
COPY --chown=1001:0 build/libs/scheduler.jar ./scheduler.jar
USER 1001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/scheduler/scheduler.jar"]
