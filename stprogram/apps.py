from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StprogramConfig(AppConfig):
    name = "stprogram"
    verbose_name = _("ST-programmet")

    def ready(self) -> None:
        # Connects the PostgreSQL row-level security scope to every connection.
        from stprogram import rls  # noqa: F401
