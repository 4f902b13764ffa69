from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regioner och enheter")

    def ready(self) -> None:
        # Connects the PostgreSQL row-level security scope to every connection.
        from regions import rls  # noqa: F401
