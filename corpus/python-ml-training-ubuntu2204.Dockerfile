# Training image for the recommender models.
# Built nightly by the ml-platform pipeline; see docs/training-image.md
FROM ubuntu:22.04

LABEL org.opencontainers.image.title="recsys-train"
LABEL org.opencontainers.image.vendor="Acme Analytics"
LABEL org.opencontainers.image.source="https://github.com/acme/recsys"
LABEL team ml-platform

ARG DEBIAN_FRONTEND=noninteractive
ARG PYTHON_VERSION=3.10

ENV TZ=Etc/UTC
ENV LANG C.UTF-8
ENV LC_ALL C.UTF-8

# ---- system packages ------------------------------------------------------
RUN apt-get update

RUN apt-get install -y \
    build-essential \
    ca-certificates \
    curl \
    git \
    gnupg \
    software-properties-common \
    wget

RUN apt-get install -y \
    python3 \
    python3-dev \
    python3-pip \
    python3-venv

RUN apt-get install -y \
    libopenblas-dev \
    liblapack-dev \
    libhdf5-dev \
    libsnappy-dev \
    libgomp1

# Java is needed for the Spark feature-extraction step
RUN apt-get install -y openjdk-11-jre-headless

RUN apt-get install -y htop vim less tmux
RUN apt-get clean

# ---- python tooling -------------------------------------------------------
RUN ln -sf /usr/bin/python3 /usr/bin/python
RUN python -m pip install --upgrade pip
RUN python -m pip install --upgrade setuptools wheel

# ---- spark ----------------------------------------------------------------
ENV SPARK_VERSION 3.4.1
ENV HADOOP_VERSION 3
ENV SPARK_HOME /opt/spark
ENV PATH $SPARK_HOME/bin:$PATH

RUN cd /tmp && \
    wget -q https://archive.apache.org/dist/spark/spark-${SPARK_VERSION}/spark-${SPARK_VERSION}-bin-hadoop${HADOOP_VERSION}.tgz && \
    tar xzf spark-${SPARK_VERSION}-bin-hadoop${HADOOP_VERSION}.tgz && \
    mv spark-${SPARK_VERSION}-bin-hadoop${HADOOP_VERSION} /opt/spark && \
    rm spark-${SPARK_VERSION}-bin-hadoop${HADOOP_VERSION}.tgz

# ---- python deps ----------------------------------------------------------
RUN mkdir -p /workspace
WORKDIR /workspace

COPY . /workspace

RUN pip install numpy==1.26.4
RUN pip install pandas==2.1.4 pyarrow==14.0.2
RUN pip install scikit-learn==1.3.2 scipy==1.11.4
RUN pip install torch==2.1.2 --index-url https://download.pytorch.org/whl/cpu
RUN pip install lightgbm==4.2.0 xgboost==2.0.3
RUN pip install mlflow==2.9.2 boto3 s3fs
RUN pip install pyspark==${SPARK_VERSION}
RUN pip install -r requirements.txt
RUN pip install -e .

# ---- jupyter for ad-hoc debugging -----------------------------------------
RUN pip install jupyterlab==4.0.10 ipywidgets

RUN mkdir -p /root/.jupyter
RUN echo "c.ServerApp.ip = '0.0.0.0'" >> /root/.jupyter/jupyter_server_config.py
RUN echo "c.ServerApp.allow_root = True" >> /root/.jupyter/jupyter_server_config.py
RUN echo "c.ServerApp.open_browser = False" >> /root/.jupyter/jupyter_server_config.py

# ---- data + model dirs ----------------------------------------------------
RUN mkdir -p /data/raw
RUN mkdir -p /data/features
RUN mkdir -p /models
VOLUME /data /models

# ---- non-root user (used by the k8s job, root kept for notebooks) ---------
RUN groupadd -g 2000 trainer
RUN useradd -m -u 2000 -g trainer trainer
RUN chown -R trainer:trainer /workspace
RUN chown -R trainer:trainer /data
RUN chown -R trainer:trainer /models

# ---- entrypoint -----------------------------------------------------------
ADD scripts/entrypoint.sh /usr/local/bin/entrypoint.sh
RUN chmod +x /usr/local/bin/entrypoint.sh

ENV MLFLOW_TRACKING_URI http://mlflow.ml-platform.svc.cluster.local:5000
ENV OMP_NUM_THREADS 8

EXPOSE 8888
EXPOSE 4040

ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
CMD python -m recsys.train --config configs/default.yaml
