# CCHC's production image: gunicorn serving config.wsgi (the default command), or the task worker
# (`python manage.py run_worker`) or the scheduler (`python manage.py run_scheduler`) from the same image.
#
# Two stages: the first builds the wheels (with a compiler, should a dependency need one); the final
# one is Debian 12 slim with Python 3.11, the Pango/HarfBuzz libraries and the Vietnamese-capable fonts
# WeasyPrint needs for the statutory PDF forms, the PostgreSQL client for `manage.py backup`, and the
# installed wheels; no compiler, no build headers. It runs as the unprivileged user `cchc`.

FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY cchc ./cchc
COPY config ./config
RUN pip wheel --wheel-dir /wheels '.[s3]'

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    CCHC_VAR_DIR=/var/lib/cchc \
    HOST=0.0.0.0 \
    PORT=8000
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
      fonts-liberation2 fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /home/cchc --uid 10001 cchc \
 && mkdir -p /var/lib/cchc/media /var/lib/cchc/static \
 && chown -R cchc:cchc /var/lib/cchc
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links /wheels /wheels/*.whl && rm -rf /wheels
WORKDIR /app
COPY manage.py ./
COPY bin ./bin
COPY config ./config
COPY cchc ./cchc
# Static files are collected at build time (WhiteNoise serves them with their hashed names); the
# secret key here only lets the settings load for collectstatic and is never used at run time.
RUN DJANGO_SECRET_KEY=collectstatic-only-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
    DATABASE_URL=postgres://build@127.0.0.1/build REDIS_URL=redis://127.0.0.1:6379/0 \
    CCHC_AUDIT_HMAC_KEY=build-only CCHC_PUBLIC_URL=https://build.invalid DJANGO_ALLOWED_HOSTS=build.invalid \
    DJANGO_SETTINGS_MODULE=config.settings.production python manage.py collectstatic --noinput -v0 \
 && chown -R cchc:cchc /var/lib/cchc
USER cchc
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD python -c "import os,sys,urllib.request; port = os.environ.get('PORT', '8000'); sys.exit(urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4).status != 200)"
CMD ["gunicorn", "-c", "config/gunicorn.conf.py"]
