"""Assessments, tokens for assessors without an account, and goal sign-offs.

The national catalogue they refer to (regulations, specialties, curricula,
goals) is `assessments.catalogue.models`; its classes are imported here, so
Django registers them with this app and `assessments.models.Goal` still names
them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.catalogue.models import Curriculum, Goal, Regulation, Specialty
from regions.models import RegionOwnedModel

__all__ = [
    "Assessment",
    "AssessmentToken",
    "Curriculum",
    "Goal",
    "GoalSignoff",
    "Regulation",
    "Specialty",
    "counted_assessments",
]


class Assessment(RegionOwnedModel):
    """A workplace-based assessment: requested, completed by the assessor, signed, locked."""

    class Method(models.TextChoices):
        MINI_CEX = "mini-cex", "Mini-CEX"
        DOPS = "dops", "DOPS"
        CBD = "cbd", "CBD"
        MEDSITTNING = "medsittning", _("Medsittning")
        MULTI_RATER = "360", _("360-graders bedömning")
        RATER = "360-rater", _("360-graders bedömning, enskild bedömare")
        COLLOQUIUM = "specialistkollegium", _("Specialistkollegium")
        EPA = "epa", "EPA"
        MITT_I_ST = "mitt-i-st", _("Mitt i ST")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Begärd")
        COMPLETED = "completed", _("Ifylld")
        SIGNED = "signed", _("Undertecknad")

    trainee = models.ForeignKey(
        "trainees.Trainee",
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("ST-läkare"),
    )
    method = models.CharField(_("metod"), max_length=20, choices=Method.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default="requested"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="raters",
        verbose_name=_("sammanställning"),
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bedömare"),
    )
    assessor_name = models.CharField(_("bedömarens namn"), max_length=200, blank=True)
    assessor_email = models.EmailField(_("bedömarens e-postadress"), blank=True)
    assessor_profession = models.CharField(_("bedömarens yrke"), max_length=100, blank=True)
    goal_codes = models.JSONField(_("delmål"), default=list, blank=True)
    context = models.CharField(_("situation"), max_length=300, blank=True)
    performed_on = models.DateField(_("genomförd"), null=True, blank=True)
    data = models.JSONField(_("bedömning"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("begärd av"),
    )
    requested_at = models.DateTimeField(_("begärd"), auto_now_add=True)
    completed_at = models.DateTimeField(_("ifylld"), null=True, blank=True)

    class Meta:
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")
        ordering = ("-requested_at", "-pk")
        indexes = [models.Index(fields=("assessor", "status"))]

    def __str__(self) -> str:
        return f"{self.get_method_display()} – {self.trainee}"

    @property
    def assessor_display(self) -> str:
        """The assessor's name, whether they have an account or not."""
        return str(self.assessor) if self.assessor_id else self.assessor_name


def counted_assessments() -> models.Q:
    """Assessments that count toward quotas and as evidence for a goal.

    Filled in by an assessor with an account: once completed. Filled in through a
    single-use link: only once the main supervisor has attested it (signed), since
    whoever held the link, the trainee included, could have filled it in.
    """
    return models.Q(status=Assessment.Status.SIGNED) | models.Q(
        status=Assessment.Status.COMPLETED, assessor__isnull=False
    )


class AssessmentToken(models.Model):
    """A single-use link for an assessor without an account; only its hash is stored."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="token")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("giltig till"))
    used_at = models.DateTimeField(_("använd"), null=True, blank=True)

    class Meta:
        verbose_name = _("bedömningslänk")
        verbose_name_plural = _("bedömningslänkar")

    def __str__(self) -> str:
        return f"Länk för {self.assessment_id}"


class GoalSignoff(RegionOwnedModel):
    """A supervisor's sign-off that a goal is achieved, pointing at the evidence.

    Never deleted: a revocation keeps the row with who, when and why.
    """

    trainee = models.ForeignKey(
        "trainees.Trainee",
        on_delete=models.CASCADE,
        related_name="signoffs",
        verbose_name=_("ST-läkare"),
    )
    goal_code = models.CharField(_("delmål"), max_length=10)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("intygad av"),
    )
    party = models.CharField(_("i egenskap av"), max_length=30)
    rotation = models.ForeignKey(
        "trainees.Rotation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("placering"),
    )
    evidence = models.JSONField(_("underlag"), default=list)
    comment = models.TextField(_("kommentar"), blank=True)
    signed_at = models.DateTimeField(_("intygad"), auto_now_add=True)
    content_hash = models.CharField(_("kontrollsumma"), max_length=64)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("återkallad av"),
    )
    revoke_reason = models.CharField(_("skäl till återkallelse"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("avklarat delmål")
        verbose_name_plural = _("avklarade delmål")
        ordering = ("goal_code", "-signed_at")
        constraints = [
            models.UniqueConstraint(
                fields=("trainee", "goal_code"),
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_signoff_per_goal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal_code} – {self.trainee}"
