# No build context holds these files: ADD stays, since ADD unpacks an archive whatever its
# name (only `.`, a directory of the context, becomes COPY).
FROM eclipse-temurin:21-jre
ADD target/app.jar /opt/app/app.jar
ADD config/ /opt/app/config/
ADD . /opt/app/src
ADD conf/*.properties /opt/app/conf/
# archive names: refused all the more
ADD dist/app.tar.gz /opt/app/
ADD dist/*.tgz /opt/app/plugins/
ADD extra/* /opt/app/extra/
ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]
