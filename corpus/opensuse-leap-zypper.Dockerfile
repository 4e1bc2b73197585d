FROM opensuse/leap:15.5

RUN zypper --non-interactive refresh
RUN zypper --non-interactive install --no-recommends \
        python311 python311-pip \
        # needed for lxml
        libxml2-devel libxslt-devel gcc \
        git-core
RUN zypper clean --all

WORKDIR /srv/obs-report
COPY requirements.txt .
RUN pip3.11 install --no-cache-dir -r requirements.txt
COPY . .

ENV REPORT_OUTPUT_DIR=/srv/reports
VOLUME /srv/reports
CMD ["python3.11", "-m", "obs_report", "--daily"]
