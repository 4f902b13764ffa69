# The two commands of the README: `make run` and `make test`. Both do all set-up.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
UV := .bootstrap/bin/uv
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format messages demo-reset screenshots

.bootstrap/bin/uv:
	python3 -m venv .bootstrap
	.bootstrap/bin/pip install -q uv

install: $(UV)
	@scripts/system-deps.sh run
	$(UV) sync --frozen --quiet
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.bootstrap -v0

run: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	@HOST=$(HOST) PORT=$(PORT) scripts/run.sh

test: install
	@scripts/test.sh

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: install
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

# Each role's start page at 1280 px and 390 px into docs/screenshots/ (the README shows them).
screenshots: install
	STPROGRAM_SCREENSHOTS=docs/screenshots $(PY) -m pytest tests/browser/test_screenshots.py -p no:xdist -m browser -q

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=.bootstrap --ignore=var --no-obsolete
