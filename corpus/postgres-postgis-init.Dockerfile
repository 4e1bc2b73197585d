FROM postgres:13

ENV POSTGIS_MAJOR 3
ENV POSTGRES_DB gisdata
ENV POSTGRES_USER gis

RUN apt-get update
RUN apt-get install -y --no-install-recommends postgresql-$PG_MAJOR-postgis-$POSTGIS_MAJOR postgresql-$PG_MAJOR-postgis-$POSTGIS_MAJOR-scripts

RUN mkdir -p /docker-entrypoint-initdb.d
ADD ./initdb-postgis.sh /docker-entrypoint-initdb.d/10_postgis.sh
ADD ./update-postgis.sh /usr/local/bin
ADD sql/ /docker-entrypoint-initdb.d/

VOLUME /var/lib/postgresql/data
EXPOSE 5432
