# X+=1 is an assignment in bash: merged, the second RUN would see X
FROM debian:12
SHELL ["/bin/bash","-c"]
RUN X+=1
RUN echo "[$X]" > /out
