# The service with its embedded SQLite database; set DATABASE_URL for PostgreSQL.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_URL=sqlite:////data/influmix.db

RUN useradd --create-home --uid 10001 influmix \
    && mkdir /data \
    && chown influmix:influmix /data

WORKDIR /srv/influmix

COPY pyproject.toml constraints.txt README.md alembic.ini ./
COPY alembic/ alembic/
COPY app/ app/
COPY optimizer/ optimizer/
COPY models/ models/
COPY examples/ examples/
# Editable, as in the README: migrations (alembic/) and examples/ are read from this folder.
RUN pip install --no-cache-dir -c constraints.txt -e .

USER 10001
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

CMD ["influmix", "serve", "--host", "0.0.0.0", "--port", "8000"]
