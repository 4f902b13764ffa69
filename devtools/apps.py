from __future__ import annotations

from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Benchmarks, load tests and demo data; installed only when STPROGRAM_DEV_TOOLS is on."""

    name = "devtools"
