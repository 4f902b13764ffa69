"""The trainee and their training programme."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Regulation
from regions.models import RegionOwnedModel, Unit


class Trainee(RegionOwnedModel):
    """An ST/BT trainee (ST-läkare) enrolled in one region."""

    class Track(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinarie ST")
        LEADERSHIP = "leadership", _("Ledarskaps-ST")
        RESEARCH = "research", _("Forskar-ST")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="trainee_records",
        verbose_name=_("användare"),
    )
    home_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="trainees", verbose_name=_("hemenhet")
    )
    specialty = models.ForeignKey(
        "assessments.Specialty", on_delete=models.PROTECT, verbose_name=_("specialitet")
    )
    regulation = models.CharField(_("föreskrift"), max_length=20, choices=Regulation.choices)
    start_date = models.DateField(_("startdatum"))
    bt_end = models.DateField(_("BT slutar"), null=True, blank=True)
    extent_percent = models.PositiveSmallIntegerField(
        _("omfattning i procent av heltid"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    credited_months = models.PositiveSmallIntegerField(_("tillgodoräknade månader"), default=0)
    track = models.CharField(
        _("inriktning"), max_length=20, choices=Track.choices, default="ordinary"
    )

    class Meta:
        verbose_name = _("ST-läkare")
        verbose_name_plural = _("ST-läkare")
        ordering = ("user__last_name", "user__first_name")
        constraints = [
            models.UniqueConstraint(fields=("user", "region"), name="trainee_unique_per_region"),
            models.CheckConstraint(
                condition=models.Q(bt_end__isnull=True) | models.Q(regulation="HSLF-FS 2021:8"),
                name="trainee_bt_only_2021",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def in_bt(self) -> bool:
        """Whether the trainee is still in BT (the first part of ST under 2021:8)."""
        from django.utils import timezone

        return self.bt_end is not None and timezone.localdate() <= self.bt_end
