from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def swedish_empty_choice() -> None:
    """Every drop-down's empty line reads "– Välj –" (English: "– Choose –").

    Django's "- Select an option -" has no Swedish translation. Django 6.1 reads
    this constant whenever a select gets its empty line (model fields, model
    choice fields), so replacing it here covers every form, admin included.
    """
    from django.db.models import fields

    from stprogram.forms import EMPTY_CHOICE_LABEL

    fields.BLANK_CHOICE_LABEL = EMPTY_CHOICE_LABEL


class StprogramConfig(AppConfig):
    name = "stprogram"
    verbose_name = _("ST-programmet")

    def ready(self) -> None:
        swedish_empty_choice()
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from stprogram.middleware import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="stprogram.stamp_login")
        post_migrate.connect(
            create_cache_table, sender=self, dispatch_uid="stprogram.create_cache_table"
        )


def create_cache_table(*, using: str = "default", **kwargs: object) -> None:
    """`migrate` also creates the database cache's table (the embedded default's cache).

    Every command after `migrate` may read the cache (rate limits, cached
    figures, the scheduler's beat); none should need `createcachetable` first.
    It does nothing when the table exists or the cache is not in the database.
    """
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
