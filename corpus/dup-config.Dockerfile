FROM python:3.12-slim AS app
# development server
CMD ["flask", "run"]
HEALTHCHECK NONE
ENTRYPOINT ["/entrypoint.sh"]
RUN pip install gunicorn
# production server
CMD ["gunicorn", "app:app"]
ENTRYPOINT ["tini", "--", "/entrypoint.sh"]
HEALTHCHECK --interval=30s CMD curl -fs http://localhost:8000/health || exit 1
ONBUILD CMD ["child"]

FROM app
# one CMD in this stage: kept (the other stage's does not count)
CMD ["gunicorn", "--workers", "4", "app:app"]
