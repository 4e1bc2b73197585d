FROM
ARG
i
RUN
FROM e AS base
RUN apt update
COPY --from=$
FROM
RUN --mount=from=base