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


class SupervisionMeeting(RegionOwnedModel):
    """A supervision meeting (handledarsamtal), logged by the trainee, confirmed later."""

    trainee = models.ForeignKey(
        "trainees.Trainee",
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("ST-läkare"),
    )
    date = models.DateField(_("datum"))
    minutes = models.PositiveSmallIntegerField(_("längd i minuter"))
    goal_codes = models.JSONField(_("delmål"), default=list, blank=True)
    topics = models.TextField(_("ämnen"), blank=True)
    agreed_actions = models.TextField(_("överenskomna åtgärder"), blank=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handledare"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)

    class Meta:
        verbose_name = _("handledarsamtal")
        verbose_name_plural = _("handledarsamtal")
        ordering = ("-date", "-pk")
        indexes = [models.Index(fields=("supervisor", "confirmed_at"))]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.minutes} min"


class YearlyRecord(RegionOwnedModel):
    """A yearly record the regions require, as a form with the fields the sources describe."""

    class Kind(models.TextChoices):
        ANNUAL_REPORT = "trainee_annual_report", _("ST-läkarens årliga rapport")
        SUPERVISOR_STATEMENT = "supervisor_statement", _("Handledarutlåtande")
        DEVELOPMENT_TALK = "development_talk", _("Utvecklingssamtal med verksamhetschef")
        SR_FOLLOWUP = "studierektor_followup", _("Uppföljning med studierektor")
        SUPERVISION_EVALUATION = "supervision_evaluation", _("Utvärdering av handledningen")
        PLANNING_MEETING = "planning_meeting", _("Planeringsmöte")
        SUPERVISOR_FOLLOWUP = "supervisor_followup", _("Uppföljningssamtal med huvudhandledare")
        IUP_FOLLOWUP = "iup_followup", _("Uppföljning av IUP")

    trainee = models.ForeignKey(
        "trainees.Trainee",
        on_delete=models.CASCADE,
        related_name="yearly_records",
        verbose_name=_("ST-läkare"),
    )
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    date = models.DateField(_("datum"))
    data = models.JSONField(_("innehåll"), default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("författare"),
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    late_reason = models.TextField(_("skäl till efterregistrering"), blank=True)

    class Meta:
        verbose_name = _("årlig uppföljning")
        verbose_name_plural = _("årliga uppföljningar")
        ordering = ("-date", "-pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"

    @property
    def recorded_late(self) -> bool:
        """Whether it was recorded after the grace period (the service then demands a reason)."""
        return bool(self.late_reason)


class SupervisorProfile(models.Model):
    """A supervisor's qualifications: specialist competence (national, follows the person)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="supervisor_profile",
        verbose_name=_("handledare"),
    )
    specialty = models.ForeignKey(
        "assessments.Specialty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("specialitet"),
    )
    specialist_since = models.DateField(_("specialistkompetens sedan"), null=True, blank=True)

    class Meta:
        verbose_name = _("handledarprofil")
        verbose_name_plural = _("handledarprofiler")

    def __str__(self) -> str:
        return str(self.user)


class SupervisorTraining(models.Model):
    """A supervisor training course taken (basic or supplementary), or a study director course."""

    class Kind(models.TextChoices):
        BASIC = "supervisor_training_basic", _("Grundläggande handledarutbildning")
        SUPPLEMENTARY = "supervisor_training_supplementary", _("Kompletterande handledarutbildning")
        # Norrbotten and Halland require it of study directors (their profiles cite it).
        STUDY_DIRECTOR_COURSE = "study_director_course", _("Studierektorsutbildning")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="supervisor_trainings",
        verbose_name=_("handledare"),
    )
    kind = models.CharField(_("typ"), max_length=40, choices=Kind.choices)
    date = models.DateField(_("datum"))
    provider = models.CharField(_("utbildningsanordnare"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("handledarutbildning")
        verbose_name_plural = _("handledarutbildningar")
        ordering = ("-date",)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"


class ActionPlan(RegionOwnedModel):
    """An action plan (åtgärdsplan/handlingsplan) for a trainee at risk."""

    trainee = models.ForeignKey(
        "trainees.Trainee",
        on_delete=models.CASCADE,
        related_name="action_plans",
        verbose_name=_("ST-läkare"),
    )
    problem_areas = models.TextField(_("problemområden"))
    follow_up_on = models.DateField(_("uppföljning"))
    outcome = models.TextField(_("utfall"), blank=True)
    closed_on = models.DateField(_("avslutad"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("upprättad av"),
    )
    created_at = models.DateTimeField(_("upprättad"), auto_now_add=True)

    class Meta:
        verbose_name = _("åtgärdsplan")
        verbose_name_plural = _("åtgärdsplaner")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{_('Åtgärdsplan')} {self.created_at:%Y-%m-%d}"


class ActionMeasure(RegionOwnedModel):
    """One agreed measure of an action plan, with an owner and a due date."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("åtgärdsplan")
    )
    description = models.CharField(_("åtgärd"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="action_measures",
        verbose_name=_("ansvarig"),
    )
    due = models.DateField(_("klart senast"))
    done_on = models.DateField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ("due", "pk")

    def __str__(self) -> str:
        return self.description
