#!/usr/bin/env bash
# Start the product on the embedded default: web server and scheduler together.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# Both processes build the links in e-mails from these (stprogram.settings.SITE_URL).
export HOST PORT

$PY manage.py seed_demo --if-empty
# The scheduler is restarted if it ever exits, and the restart is logged.
scripts/supervise.sh $PY manage.py run_worker &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM

echo
echo "ST-programmet körs på http://$HOST:$PORT/  (avsluta med Ctrl-C)"
echo "E-post skrivs till var/mail/ (ingen SMTP-server i inbäddat läge)."
echo
# Gunicorn without a reverse proxy: by default it binds loopback, so no client from the network can
# hold its threads with slow requests (production puts nginx in front: deploy/nginx.conf).
.venv/bin/gunicorn stprogram.wsgi:application --bind "$HOST:$PORT" --workers 2 --threads 4 \
  --access-logfile - --logger-class stprogram.gunicorn_logging.MaskingLogger --log-level warning
