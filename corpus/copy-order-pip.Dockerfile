FROM python:3.12-slim
COPY . /srv/app
WORKDIR /srv/app
RUN pip install --upgrade pip
RUN pip install --no-cache-dir -r requirements.txt
RUN python -m compileall .
CMD ["gunicorn", "app:app"]
