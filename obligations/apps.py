from __future__ import annotations

from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "obligations"

    def ready(self) -> None:
        # A change to a trainee's records re-stores the trainee's obligations
        # (stprogram.changes.record_change calls the listeners it was given).
        from obligations.snapshot import refresh_trainee
        from stprogram.changes import on_trainee_change

        on_trainee_change(refresh_trainee)
