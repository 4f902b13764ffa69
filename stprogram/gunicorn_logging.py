"""gunicorn's access log without the secrets some paths carry.

A calendar feed (/kalender/<token>.ics) and an assessor's link
(/bedomning/<token>/) are opened with the token alone, so a log line holding
one is a key. Every value the access log format can print (request line, path,
Referer, raw URI, headers, environ) is masked; started with
`--logger-class stprogram.gunicorn_logging.MaskingLogger` (scripts/run.sh,
Dockerfile, docker-compose.yml).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

from stprogram.logfilters import mask_tokens


class MaskingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict, request_time: timedelta) -> dict:
        """gunicorn's log atoms, token path segments masked."""
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: mask_tokens(v) if isinstance(v, str) else v for k, v in atoms.items()}
