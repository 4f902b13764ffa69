# One image for web, worker and beat.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    STPROGRAM_DEV_TOOLS=0
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv \
 && useradd --create-home --uid 1000 stprogram
WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project
# .dockerignore leaves out devtools/ (benchmarks, demo data): production cannot seed demo accounts.
COPY . .
RUN python manage.py compilemessages -v0 --ignore=.venv \
 && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v0 \
 && chown -R stprogram /app
USER stprogram
EXPOSE 8000
# The logger class masks link tokens should an access log be switched on (GUNICORN_CMD_ARGS).
CMD ["gunicorn", "stprogram.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--threads", "4", "--logger-class", "stprogram.gunicorn_logging.MaskingLogger"]
