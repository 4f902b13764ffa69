"""Who is responsible for a trainee, with dated history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import RegionOwnedModel


class Assignment(RegionOwnedModel):
    """A dated assignment of a main supervisor, supervisor or study director to a trainee.

    Assignments are never edited away: a change ends the old row and starts a
    new one, so the history of who was responsible when is kept.
    """

    class Role(models.TextChoices):
        MAIN_SUPERVISOR = "main_supervisor", _("Huvudhandledare")
        SUPERVISOR = "supervisor", _("Handledare")
        STUDY_DIRECTOR = "study_director", _("Studierektor")

    trainee = models.ForeignKey(
        "trainees.Trainee",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("ST-läkare"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("person"),
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    start_date = models.DateField(_("från"))
    end_date = models.DateField(_("till"), null=True, blank=True)

    class Meta:
        verbose_name = _("tilldelning")
        verbose_name_plural = _("tilldelningar")
        ordering = ("-start_date",)
        indexes = [models.Index(fields=("user", "role", "end_date"))]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user} → {self.trainee}"
