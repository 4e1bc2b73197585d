# A value with an unbalanced quote runs to the end of its line: joining the next
# instruction to it would swallow that instruction, so ENV and LABEL stay apart.
FROM alpine:3.20
ENV GREETING="hello world
ENV APT_OPTS="-o Acquire::Retries=4"
LABEL org.example.note="open
LABEL org.example.team="core team"
CMD ["sh"]
