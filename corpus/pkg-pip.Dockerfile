# pip, pip3 and python -m pip install get --no-cache-dir.
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
RUN python3 -m pip install gunicorn==22.0.0
RUN pip3 install --no-cache-dir uvicorn==0.29.0
CMD ["gunicorn", "app:app"]
