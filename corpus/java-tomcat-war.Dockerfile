FROM tomcat:9.0-jdk11-temurin-focal

MAINTAINER "Legacy Apps Team" <legacy-apps@bigcorp.example>

ENV CATALINA_OPTS -Xms512m -Xmx1024m -Djava.security.egd=file:/dev/./urandom
ENV TZ Europe/Berlin

RUN rm -rf /usr/local/tomcat/webapps/*

ADD target/portal.war /usr/local/tomcat/webapps/ROOT.war
ADD conf/server.xml /usr/local/tomcat/conf/server.xml
ADD conf/context.xml /usr/local/tomcat/conf/context.xml
ADD lib/ojdbc8.jar /usr/local/tomcat/lib/

RUN chown -R 1000:1000 /usr/local/tomcat

VOLUME ["/usr/local/tomcat/logs"]

EXPOSE 8080 8009

CMD ["catalina.sh", "run"]
