"""Issue 17 item 7: X-Forwarded-Proto is believed only when a proxy that sets it is in front.

Served directly, any client can send `X-Forwarded-Proto: https`; Django must
not take the request for a secure one (secure-only redirects and cookies
follow from that) unless `STPROGRAM_BEHIND_PROXY` says nginx overwrites it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.SECURE_PROXY_SSL_HEADER))"
)


def proxy_header(tmp_path: Path, **env: str) -> list[str] | None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "STPROGRAM_"))}
    clean |= {"DJANGO_SETTINGS_MODULE": "stprogram.settings", "STPROGRAM_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def test_https_alone_does_not_make_django_trust_x_forwarded_proto(tmp_path):
    assert proxy_header(tmp_path, DJANGO_HTTPS="true") is None
    behind = proxy_header(tmp_path, DJANGO_HTTPS="true", STPROGRAM_BEHIND_PROXY="true")
    assert behind == ["HTTP_X_FORWARDED_PROTO", "https"]
