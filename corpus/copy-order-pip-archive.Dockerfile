FROM python:3.12-slim
WORKDIR /app
# refused: requirements.txt names pkg.tgz, a local archive in the context, which the install
# reads: copying only requirements.txt first would make it fail
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "app.py"]
