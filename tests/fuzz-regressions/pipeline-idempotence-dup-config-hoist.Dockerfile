FROM alpine
RUN echo mixed
COPY --from=x /a /b
ENTRYPOINT ["a"]
RUN echo mixed
COPY --from=x /a /b
ENTRYPOINT ["b"]
