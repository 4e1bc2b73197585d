# More than 32 stages, each FROM naming an image or a stage outright: the build needs only
# app-3 and the final stage, and dead-stage removes the others.
FROM debian:bookworm-slim AS app-1
RUN echo 1 > /stage.txt
FROM debian:bookworm-slim AS app-2
RUN echo 2 > /stage.txt
FROM debian:bookworm-slim AS app-3
RUN echo 3 > /stage.txt
FROM debian:bookworm-slim AS app-4
RUN echo 4 > /stage.txt
FROM debian:bookworm-slim AS app-5
RUN echo 5 > /stage.txt
FROM debian:bookworm-slim AS app-6
RUN echo 6 > /stage.txt
FROM debian:bookworm-slim AS app-7
RUN echo 7 > /stage.txt
FROM debian:bookworm-slim AS app-8
RUN echo 8 > /stage.txt
FROM debian:bookworm-slim AS app-9
RUN echo 9 > /stage.txt
FROM debian:bookworm-slim AS app-10
RUN echo 10 > /stage.txt
FROM debian:bookworm-slim AS app-11
RUN echo 11 > /stage.txt
FROM debian:bookworm-slim AS app-12
RUN echo 12 > /stage.txt
FROM debian:bookworm-slim AS app-13
RUN echo 13 > /stage.txt
FROM debian:bookworm-slim AS app-14
RUN echo 14 > /stage.txt
FROM debian:bookworm-slim AS app-15
RUN echo 15 > /stage.txt
FROM debian:bookworm-slim AS app-16
RUN echo 16 > /stage.txt
FROM debian:bookworm-slim AS app-17
RUN echo 17 > /stage.txt
FROM debian:bookworm-slim AS app-18
RUN echo 18 > /stage.txt
FROM debian:bookworm-slim AS app-19
RUN echo 19 > /stage.txt
FROM debian:bookworm-slim AS app-20
RUN echo 20 > /stage.txt
FROM debian:bookworm-slim AS app-21
RUN echo 21 > /stage.txt
FROM debian:bookworm-slim AS app-22
RUN echo 22 > /stage.txt
FROM debian:bookworm-slim AS app-23
RUN echo 23 > /stage.txt
FROM debian:bookworm-slim AS app-24
RUN echo 24 > /stage.txt
FROM debian:bookworm-slim AS app-25
RUN echo 25 > /stage.txt
FROM debian:bookworm-slim AS app-26
RUN echo 26 > /stage.txt
FROM debian:bookworm-slim AS app-27
RUN echo 27 > /stage.txt
FROM debian:bookworm-slim AS app-28
RUN echo 28 > /stage.txt
FROM debian:bookworm-slim AS app-29
RUN echo 29 > /stage.txt
FROM debian:bookworm-slim AS app-30
RUN echo 30 > /stage.txt
FROM debian:bookworm-slim AS app-31
RUN echo 31 > /stage.txt
FROM debian:bookworm-slim AS app-32
RUN echo 32 > /stage.txt
FROM debian:bookworm-slim AS app-33
RUN echo 33 > /stage.txt
FROM debian:bookworm-slim AS app-34
RUN echo 34 > /stage.txt
FROM app-3 AS final
CMD ["cat", "/stage.txt"]
