From python:3.10-alpine As base
Label maintainer="data-eng@fintrack.io"

Run apk add --no-cache libffi openssl
Workdir /opt/etl

From base As build
Run apk add --no-cache build-base libffi-dev openssl-dev
Copy requirements.txt .
Run pip wheel --wheel-dir /wheels -r requirements.txt

From base
Copy --from=build /wheels /wheels
Run pip install --no-index --find-links=/wheels /wheels/*.whl && rm -rf /wheels
Copy etl/ ./etl/
Env PYTHONPATH=/opt/etl
Entrypoint ["python", "-m", "etl"]
Cmd ["--help"]
