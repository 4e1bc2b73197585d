FROM debian:bookworm-slim
# refused: --reference reads the file the COPY brings
COPY x /data/x
RUN chown --reference=/data/x /etc/hosts
# refused: the same with the reference file as a separate word
COPY y /data2/y
RUN chmod --reference /data2/y /etc/hosts
# refused: the target directory of cp is where the COPY writes
COPY z /data3/z
RUN cp --target-directory=/data3 /etc/hosts
# moves: nothing the RUN names meets /data4
COPY w /data4/w
RUN chown --reference=/etc/passwd /etc/hosts
