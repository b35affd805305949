# Vigil under gunicorn, static files served by whitenoise. See docker-compose.yml.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus

WORKDIR /app
RUN useradd --system --create-home --uid 1000 vigil

# Dependencies first, so code changes rebuild in seconds.
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .

COPY . .
# The interface's translations: .po compiled to .mo with Babel (no GNU gettext in the image).
RUN python scripts/compile_catalogues.py --force
# Collect static files with production storage (hashed names, compressed).
RUN DEBUG=0 SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost PROMETHEUS_MULTIPROC_DIR= \
    DATABASE_URL=postgres://unused@localhost/unused \
    python manage.py collectstatic --noinput

# Evidence files (EVIDENCE_DIR) and resumable uploads' chunks: a volume in docker-compose.yml.
RUN mkdir -p /data/evidence /data/uploads && chown -R vigil /data

USER vigil
EXPOSE 8000
# Migrations on start (no statement timeout: a long migration must finish), then gunicorn (config/gunicorn.py;
# GUNICORN_WORKERS: about 2 per core). The metrics directory starts empty with each start.
CMD ["sh", "-c", "rm -rf \"$PROMETHEUS_MULTIPROC_DIR\" && mkdir -p \"$PROMETHEUS_MULTIPROC_DIR\" && DATABASE_STATEMENT_TIMEOUT=0 python manage.py migrate --noinput && exec gunicorn -c config/gunicorn.py config.wsgi:application"]
