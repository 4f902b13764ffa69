"""The national curriculum catalogue: regulations, specialties, curricula and goals.

National, not region-owned: nothing here knows about regions. The models
belong to the `assessments` app (imported by `assessments.models`), so their
tables and migrations stay where they were.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Regulation(models.TextChoices):
    SOSFS_2015_8 = "SOSFS 2015:8", "SOSFS 2015:8"
    HSLF_FS_2021_8 = "HSLF-FS 2021:8", "HSLF-FS 2021:8"


class Specialty(models.Model):
    """A medical specialty with its own målbeskrivning (national, not region-owned)."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("specialitet")
        verbose_name_plural = _("specialiteter")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Curriculum(models.Model):
    """One specialty's målbeskrivning under one regulation (national)."""

    specialty = models.ForeignKey(
        Specialty,
        on_delete=models.PROTECT,
        related_name="curricula",
        verbose_name=_("specialitet"),
    )
    regulation = models.CharField(_("föreskrift"), max_length=20, choices=Regulation.choices)
    # Specialties without patient contact have no b-goals in their målbeskrivning.
    has_b_goals = models.BooleanField(_("har b-delmål"), default=True)
    source_note = models.CharField(_("källa"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("målbeskrivning")
        verbose_name_plural = _("målbeskrivningar")
        ordering = ("specialty__name", "regulation")
        constraints = [
            models.UniqueConstraint(
                fields=("specialty", "regulation"), name="curriculum_unique_per_regulation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.specialty} ({self.regulation})"


class Goal(models.Model):
    """A delmål: common (a, b, BT) or belonging to one specialty (c)."""

    class Group(models.TextChoices):
        A = "a", _("a-delmål")
        B = "b", _("b-delmål")
        C = "c", _("c-delmål")
        BT = "bt", _("BT-delmål")

    regulation = models.CharField(_("föreskrift"), max_length=20, choices=Regulation.choices)
    code = models.CharField(_("kod"), max_length=10)
    group = models.CharField(_("grupp"), max_length=2, choices=Group.choices)
    title = models.CharField(_("rubrik"), max_length=200, blank=True)
    requirement_text = models.TextField(_("kompetenskrav"), blank=True)
    # True until the official text has been loaded: new rows are never mistaken for law.
    is_placeholder = models.BooleanField(_("platshållartext"), default=True)
    specialty = models.ForeignKey(
        Specialty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("specialitet"),
    )
    sort_order = models.PositiveSmallIntegerField(_("sorteringsordning"), default=0)
    # From the målbeskrivning's "Utbildningsaktiviteter" and "Uppföljning" columns:
    # [{"kind", "text", "certificate"}], certificate empty for advice (allmänna råd).
    activities = models.JSONField(_("utbildningsaktiviteter"), default=list, blank=True)
    # The certificate kinds the follow-up requires, so an application can be checked.
    certificate_kinds = models.JSONField(_("intyg som krävs"), default=list, blank=True)

    class Meta:
        verbose_name = _("delmål")
        verbose_name_plural = _("delmål")
        ordering = ("regulation", "sort_order", "code")
        constraints = [
            # Two partial constraints because NULL specialties never collide in a plain one.
            models.UniqueConstraint(
                fields=("regulation", "specialty", "code"),
                condition=Q(specialty__isnull=False),
                name="goal_unique_code_in_specialty",
            ),
            models.UniqueConstraint(
                fields=("regulation", "code"),
                condition=Q(specialty__isnull=True),
                name="goal_unique_common_code",
            ),
            models.CheckConstraint(
                condition=Q(group="c", specialty__isnull=False)
                | (~Q(group="c") & Q(specialty__isnull=True)),
                name="goal_only_c_goals_have_a_specialty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()
