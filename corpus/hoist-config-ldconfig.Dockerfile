FROM debian:bookworm-slim
# refused: ld.so.conf.d, copied first, makes ldconfig read /app/lib
COPY app.conf /etc/ld.so.conf.d/app.conf
COPY lib/ /app/lib/
RUN ldconfig
