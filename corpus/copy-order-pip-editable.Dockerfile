FROM python:3.12-slim
WORKDIR /app
# refused: `-e .` installs the project itself
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "-m", "x"]
