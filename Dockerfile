# The Technician Commitment Portal: one image for the web server, the Celery workers and beat
# (docker-compose.yml chooses the command). Build: docker build -t technician-commitment-portal .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's system libraries (the annual report PDF) and a font family for it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them: the runtime ones only,
# at the versions of requirements.lock (what CI tested).
COPY pyproject.toml requirements.lock ./
RUN pip install --constraint requirements.lock .

COPY . .

# Static files are collected into the image and served by WhiteNoise. The key is a dummy:
# collectstatic needs settings, never a secret. The real SECRET_KEY comes at run time.
ENV DEBUG=0 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media
RUN SECRET_KEY=collectstatic-at-build-time-only-not-a-secret \
    python manage.py collectstatic --noinput --verbosity 0

# Run as an unprivileged user; uploads live in the media volume, owned by that user.
RUN useradd --create-home --uid 10001 --user-group portal \
    && mkdir -p /data/media \
    && chown -R portal:portal /data
USER portal

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
