"""External inspections (SPUR) and self-assessments of training units."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import RegionOwnedModel, Unit


class Inspection(RegionOwnedModel):
    """A review of a training unit that took place: the engine's unit events."""

    class Kind(models.TextChoices):
        EXTERNAL = "external_inspection", _("Extern granskning (SPUR)")
        SELF_ASSESSMENT = "self_assessment", _("Självvärdering")

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("enhet")
    )
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    performed_on = models.DateField(_("genomförd"))
    ordering_body = models.CharField(_("beställare/granskare"), max_length=150, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("registrerad av"),
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("granskning")
        verbose_name_plural = _("granskningar")
        ordering = ("-performed_on", "-pk")

    def __str__(self) -> str:
        return f"{self.unit} – {self.get_kind_display()} {self.performed_on}"
