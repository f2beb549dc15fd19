# The second route to production: the same application, the same locked
# packages and the same gunicorn configuration as deploy/systemd, in a container
# (compose.yaml runs web, worker and beat from this one image). The first
# route, and everything about backups and keys: docs/operations.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango and a Chinese font for the documents' PDFs (WeasyPrint).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/* \
 && adduser --system --group --home /var/lib/nankai --no-create-home nankai \
 && install -d -o nankai -g nankai -m 0750 /var/lib/nankai /var/lib/nankai/media /var/lib/nankai/history-checkpoints

WORKDIR /opt/nankai/app
COPY requirements.lock ./
RUN python -m venv .venv && .venv/bin/pip install --require-hashes -r requirements.lock
COPY . .
# Hashed, compressed static files, made once at build time (settings that only collectstatic needs).
RUN DEBUG=0 SECRET_KEY=build HISTORY_KEY=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    .venv/bin/python manage.py collectstatic --noinput -v 0 && rm -f /tmp/build.sqlite3

ENV PATH=/opt/nankai/app/.venv/bin:$PATH DEBUG=0 \
    MEDIA_ROOT=/var/lib/nankai/media HISTORY_CHECKPOINT_DIR=/var/lib/nankai/history-checkpoints \
    GUNICORN_BIND=0.0.0.0:8000
USER nankai
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "config.wsgi:application"]
