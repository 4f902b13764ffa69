"""Issue 17, finding 10: calendar and assessor-link tokens never reach a log.

The token alone opens the calendar feed or the assessor's form, so neither the
gunicorn access log (as scripts/run.sh, the Dockerfile and the compose file
start it) nor Django's request log may print it, in the path or in a Referer.
"""

from __future__ import annotations

import io
import logging
import re
import shlex
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.test import Client
from gunicorn.config import Config

from stprogram.logfilters import MaskPersonnummerFilter

ROOT = Path(__file__).resolve().parents[2]
CALENDAR_TOKEN = "kal3nderHemlighet_abc123"
ASSESSOR_TOKEN = "bedomarHemlighet-xyz789"


def _run_sh_args() -> list[str]:
    text = (ROOT / "scripts/run.sh").read_text().replace("\\\n", " ")
    line = next(x for x in text.splitlines() if "gunicorn stprogram.wsgi" in x)
    return shlex.split(line)


def _dockerfile_args() -> list[str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    cmd = next(x for x in text.splitlines() if x.startswith("CMD"))
    return yaml.safe_load(cmd.removeprefix("CMD "))


def _compose_args() -> list[str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return shlex.split(compose["services"]["web"]["command"])


def _access_line(args: list[str]) -> str:
    """One request logged by gunicorn configured with these command-line arguments."""
    cfg = Config()
    start = args.index("stprogram.wsgi:application") + 1
    parsed = cfg.parser().parse_args(args[start:])
    for name, value in vars(parsed).items():
        if value is not None and name in cfg.settings:
            cfg.set(name.lower(), value)
    cfg.set("accesslog", "-")  # Docker's start may leave it to GUNICORN_CMD_ARGS
    logger = cfg.logger_class(cfg)
    stream = io.StringIO()
    logger.access_log.addHandler(logging.StreamHandler(stream))
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/kalender/{CALENDAR_TOKEN}.ics",
        "PATH_INFO": f"/kalender/{CALENDAR_TOKEN}.ics",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://st.example.test/bedomning/{ASSESSOR_TOKEN}/",
    }
    response = SimpleNamespace(status="200 OK", sent=42, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=3))
    return stream.getvalue()


@pytest.mark.parametrize("args", [_run_sh_args, _dockerfile_args, _compose_args])
def test_the_gunicorn_access_log_masks_tokens(args):
    line = _access_line(args())
    assert "GET /kalender/" in line
    assert " 200 " in line
    assert CALENDAR_TOKEN not in line
    assert ASSESSOR_TOKEN not in line


def test_djangos_request_log_masks_tokens(db):
    # The configured console handler: the one that already masks personnummer.
    console = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, MaskPersonnummerFilter) for f in h.filters)
    )
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        Client().get(f"/kalender/{CALENDAR_TOKEN}.ics")
        Client().get(f"/bedomning/{ASSESSOR_TOKEN}/")
    finally:
        console.setStream(previous)
    logged = stream.getvalue()
    assert re.search(r"Not Found: /kalender/\S+\.ics", logged)
    assert CALENDAR_TOKEN not in logged
    assert ASSESSOR_TOKEN not in logged
