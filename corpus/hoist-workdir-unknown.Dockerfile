FROM python:3.12-slim
# refused: `.` is in the image's working directory, which is not visible here
COPY . .
RUN apt-get update && apt-get install -y libpq5
CMD ["python", "app.py"]
