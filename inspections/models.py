"""Reviews of training units: external reviews (SPUR), self-assessments, findings, measures.

A review with a `performed_on` date is an event for the rule engine; a
planned one is not yet. Findings and the measures of the follow-up plan hang
off the review; measures and the follow-up date feed the reminders.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspections.questionnaire import AREA_CHOICES
from regions.models import RegionOwnedModel, Unit


def report_path(instance: Inspection, filename: str) -> str:
    """A random name under the region's folder: the uploaded name is never used on disk."""
    return f"inspections/{instance.region_id}/{uuid.uuid4().hex}.pdf"


class Inspection(RegionOwnedModel):
    """A review of a training unit, planned or done."""

    class Kind(models.TextChoices):
        EXTERNAL = "external_inspection", _("Extern granskning (SPUR)")
        SELF_ASSESSMENT = "self_assessment", _("Självvärdering")

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("enhet")
    )
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    planned_on = models.DateField(_("planerad till"), null=True, blank=True)
    performed_on = models.DateField(_("genomförd"), null=True, blank=True)
    ordering_body = models.CharField(_("beställare/granskare"), max_length=150, blank=True)
    inspectors = models.CharField(_("inspektörer"), max_length=300, blank=True)
    summary = models.TextField(_("sammanfattning"), max_length=4000, blank=True)
    report = models.FileField(_("rapport"), upload_to=report_path, blank=True, max_length=200)
    report_name = models.CharField(_("rapportens filnamn"), max_length=150, blank=True)
    report_size = models.PositiveIntegerField(_("rapportens storlek"), null=True, blank=True)
    report_uploaded_at = models.DateTimeField(_("rapport uppladdad"), null=True, blank=True)
    report_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rapport uppladdad av"),
    )
    plan_approved_at = models.DateTimeField(_("handlingsplan godkänd"), null=True, blank=True)
    plan_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handlingsplan godkänd av"),
    )
    follow_up_due = models.DateField(_("följs upp senast"), null=True, blank=True)
    followed_up_on = models.DateField(_("uppföljd"), null=True, blank=True)
    follow_up_notes = models.TextField(_("uppföljningens resultat"), max_length=4000, blank=True)
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
        ordering = (models.F("performed_on").desc(nulls_first=True), "-planned_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_on__isnull=False) | models.Q(performed_on__isnull=False),
                name="inspection_planned_or_performed",
            )
        ]

    def __str__(self) -> str:
        day = self.performed_on or self.planned_on
        return f"{self.unit} – {self.get_kind_display()} {day}"


class Finding(RegionOwnedModel):
    """A deficiency (brist) or recommendation in a review's report."""

    class Kind(models.TextChoices):
        DEFICIENCY = "deficiency", _("Brist")
        RECOMMENDATION = "recommendation", _("Rekommendation")

    class Severity(models.TextChoices):
        MAJOR = "major", _("Allvarlig")
        MODERATE = "moderate", _("Betydande")
        MINOR = "minor", _("Mindre")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name=_("granskning")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    area = models.CharField(_("område"), max_length=30, choices=AREA_CHOICES)
    severity = models.CharField(_("allvarlighet"), max_length=10, choices=Severity.choices)
    text = models.TextField(_("beskrivning"), max_length=2000)

    class Meta:
        verbose_name = _("fynd")
        verbose_name_plural = _("fynd")
        ordering = ("kind", "area", "pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:80]}"


class InspectionMeasure(RegionOwnedModel):
    """One measure of a review's action plan, with an owner and a due date."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="measures", verbose_name=_("granskning")
    )
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("fynd"),
    )
    description = models.CharField(_("åtgärd"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="inspection_measures",
        verbose_name=_("ansvarig"),
    )
    due = models.DateField(_("klart senast"))
    done_on = models.DateField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("åtgärd efter granskning")
        verbose_name_plural = _("åtgärder efter granskning")
        ordering = ("due", "pk")

    def __str__(self) -> str:
        return self.description


class SelfAssessment(RegionOwnedModel):
    """One occasion of the web self-assessment (STINS-style) of a unit."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="self_assessments", verbose_name=_("enhet")
    )
    questionnaire = models.CharField(_("frågeformulär"), max_length=30)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("påbörjad av"),
    )
    started_at = models.DateTimeField(_("påbörjad"), auto_now_add=True)
    completed_on = models.DateField(_("slutförd"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("slutförd av"),
    )
    inspection = models.OneToOneField(
        Inspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="self_assessment",
        verbose_name=_("granskningshändelse"),
    )

    class Meta:
        verbose_name = _("självvärdering")
        verbose_name_plural = _("självvärderingar")
        ordering = (models.F("completed_on").desc(nulls_first=True), "-pk")

    def __str__(self) -> str:
        return f"{self.unit} – {_('Självvärdering')} {self.completed_on or self.started_at.date()}"


class SelfAssessmentAnswer(RegionOwnedModel):
    """The score, comment and evidence for one question of a self-assessment."""

    assessment = models.ForeignKey(
        SelfAssessment,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("självvärdering"),
    )
    question = models.CharField(_("fråga"), max_length=30)
    score = models.PositiveSmallIntegerField(_("poäng"), null=True, blank=True)
    comment = models.TextField(_("kommentar"), max_length=2000, blank=True)
    evidence = models.TextField(_("underlag"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        constraints = [
            models.UniqueConstraint(
                fields=("assessment", "question"), name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=4),
                name="self_assessment_score_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score}"
