"""The trainee and their training programme."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Regulation
from regions.models import Region, RegionOwnedModel, Unit


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
    # The only place a personnummer is stored. Masked everywhere but the
    # certificate drafts; every full view is written to the access log.
    personnummer = models.CharField(_("personnummer"), max_length=12, blank=True)
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
        return self.bt_end is not None and timezone.localdate() <= self.bt_end


class TraineeRecord(RegionOwnedModel):
    """Base of the records that belong to one trainee."""

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, verbose_name=_("ST-läkare"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        abstract = True


class Contract(TraineeRecord):
    """An ST contract (ST-kontrakt). Each change is a new version; signed versions are locked."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("ST-kontrakt")
        LEADERSHIP = "leadership", _("Kontrakt för ledarskaps-ST")
        RESEARCH = "research", _("Kontrakt för forskar-ST")

    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default="ordinary")
    version = models.PositiveSmallIntegerField(_("version"))
    terms = models.TextField(_("villkor och åtaganden"))
    change_reason = models.CharField(_("anledning till ändring"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ST-kontrakt")
        verbose_name_plural = _("ST-kontrakt")
        ordering = ("kind", "-version")
        constraints = [
            models.UniqueConstraint(fields=("trainee", "kind", "version"), name="contract_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} – {self.trainee}"


class IupVersion(TraineeRecord):
    """One version of the individual training programme (IUP), for ST or for BT.

    A revision never edits an earlier version: it copies it into a new one,
    with what changed and why, and the new version is approved again.
    """

    class Phase(models.TextChoices):
        ST = "ST", _("ST")
        BT = "BT", _("BT")

    phase = models.CharField(_("del"), max_length=2, choices=Phase.choices, default="ST")
    version = models.PositiveSmallIntegerField(_("version"))
    change_summary = models.TextField(_("vad som ändrats"), blank=True)
    service_plan_note = models.TextField(_("tjänstgöringsplan, övrigt"), blank=True)
    scientific_work = models.TextField(_("vetenskapligt arbete"), blank=True)
    quality_work = models.TextField(_("kvalitets- och utvecklingsarbete"), blank=True)
    self_study = models.TextField(_("plan för självstudier"), blank=True)

    class Meta:
        verbose_name = _("IUP-version")
        verbose_name_plural = _("IUP-versioner")
        ordering = ("phase", "-version")
        constraints = [
            models.UniqueConstraint(fields=("trainee", "phase", "version"), name="iup_version")
        ]

    def __str__(self) -> str:
        return f"IUP {self.phase} v{self.version} – {self.trainee}"


class IupGoalPlan(models.Model):
    """Per goal: the planned learning activities and how the goal will be assessed."""

    iup = models.ForeignKey(IupVersion, on_delete=models.CASCADE, related_name="goal_plans")
    goal_code = models.CharField(_("delmål"), max_length=10)
    activities = models.TextField(_("planerade utbildningsaktiviteter"))
    assessment = models.TextField(_("hur delmålet ska bedömas"))

    class Meta:
        verbose_name = _("plan för delmål")
        verbose_name_plural = _("planer för delmål")
        ordering = ("pk",)
        constraints = [models.UniqueConstraint(fields=("iup", "goal_code"), name="iup_goal_once")]

    def __str__(self) -> str:
        return self.goal_code


class IupPlannedItem(models.Model):
    """A planned rotation or course in an IUP version."""

    class Kind(models.TextChoices):
        ROTATION = "rotation", _("Placering")
        COURSE = "course", _("Kurs")

    iup = models.ForeignKey(IupVersion, on_delete=models.CASCADE, related_name="planned_items")
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("enhet eller kurs"), max_length=200)
    start = models.DateField(_("från"), null=True, blank=True)
    end = models.DateField(_("till"), null=True, blank=True)
    goal_codes = models.JSONField(_("delmål"), default=list, blank=True)

    class Meta:
        verbose_name = _("planerad placering eller kurs")
        verbose_name_plural = _("planerade placeringar och kurser")
        ordering = ("start", "pk")

    def __str__(self) -> str:
        return self.title


class Rotation(TraineeRecord):
    """Clinical service at another unit (sidotjänstgöring/placering), possibly in another region."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhet i regionen"),
    )
    host_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("annan region"),
    )
    unit_name = models.CharField(_("enhet"), max_length=200)
    external = models.BooleanField(
        _("extern placering"),
        default=False,
        help_text=_("Utanför den egna förvaltningen; mottagande enhet kontaktas i förväg."),
    )
    start = models.DateField(_("från"))
    end = models.DateField(_("till"))
    extent_percent = models.PositiveSmallIntegerField(
        _("omfattning i procent av heltid"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    local_supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handledare på enheten"),
    )
    local_supervisor_name = models.CharField(_("handledare på enheten"), max_length=200, blank=True)
    contact_date = models.DateField(_("kontakt med mottagande enhet"), null=True, blank=True)
    feedback_date = models.DateField(_("återkoppling lämnad"), null=True, blank=True)
    goal_codes = models.JSONField(_("delmål"), default=list, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    # The day the rotation entered the plan: from then on its obligations (a
    # named supervisor, contact three months ahead) are open and reminded.
    # Empty for an imported rotation whose portfolio gave no date: it is then
    # known from its start (spec: a rotation is dated by `registered`, else `start`).
    registered = models.DateField(
        _("registrerad i planen"), null=True, default=timezone.localdate, editable=False
    )

    class Meta:
        verbose_name = _("placering")
        verbose_name_plural = _("placeringar")
        ordering = ("start",)

    def __str__(self) -> str:
        return f"{self.unit_name} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"

    @property
    def supervisor_named(self) -> bool:
        """Whether a supervisor at the receiving unit has been named."""
        return bool(self.local_supervisor_id or self.local_supervisor_name)


class RotationAccessGrant(RegionOwnedModel):
    """Lets a supervisor of another region see one trainee's rotation records, for a time.

    The trainee asks; the receiving unit's study director or head of unit accepts
    (until then the grant gives nothing). It is dated (rotation start to end + 30
    days for sign-off), covers the goals the rotation names, and every check
    compares with today, so it ends by itself without a clean-up job.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar på mottagande enhet")
        ACCEPTED = "accepted", _("Godkänd av mottagande enhet")
        DECLINED = "declined", _("Avböjd av mottagande enhet")

    rotation = models.OneToOneField(
        Rotation, on_delete=models.CASCADE, related_name="grant", verbose_name=_("placering")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="rotation_grants",
        verbose_name=_("handledare"),
    )
    valid_from = models.DateField(_("gäller från"))
    valid_until = models.DateField(_("gäller till och med"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    host_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mottagande enhet"),
    )
    goal_codes = models.JSONField(_("delmål"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslutad av"),
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)

    class Meta:
        verbose_name = _("åtkomst för placering")
        verbose_name_plural = _("åtkomster för placeringar")
        indexes = [models.Index(fields=("user", "valid_until"))]
        # Given per grant (django-guardian) when the receiving unit accepts: trainees/grants.py.
        permissions = [("supervise_rotation", "Handleda placeringen från annan region")]

    def __str__(self) -> str:
        return f"{self.user} → {self.rotation}"

    @staticmethod
    def in_force(day: date) -> models.Q:
        """Accepted by the receiving unit and dated to include ``day``; checked on every use."""
        return models.Q(
            status=RotationAccessGrant.Status.ACCEPTED, valid_from__lte=day, valid_until__gte=day
        )


class Activity(TraineeRecord):
    """A learning activity that gets a certificate: course, auskultation, written or QI work."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Kurs")
        AUSKULTATION = "auskultation", _("Auskultation")
        SCIENTIFIC = "scientific_work", _("Vetenskapligt arbete")
        QUALITY = "quality_work", _("Kvalitets- och utvecklingsarbete")

    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=200)
    start = models.DateField(_("från"))
    end = models.DateField(_("till"))
    provider = models.CharField(_("kursgivare eller enhet"), max_length=200, blank=True)
    leader_name = models.CharField(_("kursledare eller handledare"), max_length=200, blank=True)
    goal_codes = models.JSONField(_("delmål"), default=list, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("utbildningsaktivitet")
        verbose_name_plural = _("utbildningsaktiviteter")
        ordering = ("start", "pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class Absence(TraineeRecord):
    """Leave that is not training time and extends the programme by its calendar days."""

    class Kind(models.TextChoices):
        PARENTAL = "parental", _("Föräldraledighet")
        SICK = "sick", _("Sjukfrånvaro")
        OTHER = "other", _("Annan ledighet")

    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    start = models.DateField(_("från och med"))
    end = models.DateField(_("till och med"))
    note = models.CharField(_("anteckning"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("frånvaro")
        verbose_name_plural = _("frånvaro")
        ordering = ("start",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="absence_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"


class HistoricalEvent(RegionOwnedModel):
    """A fact from the trainee's earlier history, imported from a portfolio.

    Events with a native record here (rotations, courses, absence) are imported
    as such; the rest (a contract signed in another system, earlier supervision
    meetings) are kept as what they are: dated facts, not re-created documents.
    """

    trainee = models.ForeignKey(
        Trainee,
        on_delete=models.CASCADE,
        related_name="historical_events",
        verbose_name=_("ST-läkare"),
    )
    type = models.CharField(_("händelse"), max_length=40)
    date = models.DateField(_("datum"))
    data = models.JSONField(_("uppgifter"), default=dict, blank=True)

    class Meta:
        verbose_name = _("tidigare händelse")
        verbose_name_plural = _("tidigare händelser")
        ordering = ("date", "pk")

    def __str__(self) -> str:
        return f"{self.type} {self.date:%Y-%m-%d}"


def _packet_path(packet: CertificatePacket, filename: str) -> str:
    # No name and no personnummer in the path: the row's id is enough.
    return f"certificates/{packet.region_id}/intygspaket-{packet.pk}.pdf"


class CertificatePacket(RegionOwnedModel):
    """A requested application packet (all certificate drafts as one PDF): the outbox row.

    The request writes the row; the worker claims it with a conditional update
    (pending → rendering), renders and stores the file. A periodic scan picks up
    rows whose queued task never ran, so a broker outage only delays a packet.
    """

    class Kind(models.TextChoices):
        ST = "st", _("Ansökan om bevis om specialistkompetens")
        BT = "bt", _("Ansökan om intyg om godkänd bastjänstgöring")

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar")
        RENDERING = "rendering", _("Skapas")
        READY = "ready", _("Klar")
        FAILED = "failed", _("Misslyckades")

    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="packets", verbose_name=_("ST-läkare")
    )
    kind = models.CharField(_("ansökan"), max_length=2, choices=Kind.choices, default="st")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beställd av"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="pending")
    file = models.FileField(_("fil"), upload_to=_packet_path, blank=True)
    pages = models.PositiveSmallIntegerField(_("sidor"), null=True, blank=True)
    certificates = models.PositiveSmallIntegerField(_("intyg"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("fel"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("beställd"), default=timezone.now)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("intygspaket")
        verbose_name_plural = _("intygspaket")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=("status", "claimed_at"))]

    def __str__(self) -> str:
        return f"Intygspaket {self.pk} ({self.status})"


class ExternalAssessor(TraineeRecord):
    """The external assessor who co-signs the BT's basic-competence certificate.

    HSLF-FS 2021:8 bilaga 4 is signed by the main supervisor and an external
    assessor. Each recording is a new row (who recorded it, when); the latest
    one is the assessor the forms name, the earlier ones stay as history.
    """

    name = models.CharField(_("namn"), max_length=200)
    profession = models.CharField(_("yrke eller specialitet"), max_length=200)
    workplace = models.CharField(_("tjänsteställe"), max_length=200)
    email = models.EmailField(_("e-postadress"), blank=True)

    class Meta:
        verbose_name = _("extern bedömare")
        verbose_name_plural = _("externa bedömare")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.name} – {self.trainee}"
