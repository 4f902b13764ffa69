"""Regions (tenants), their units, and the roles people hold in them."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.tenancy import RegionScopedManager


class Region(models.Model):
    slug = models.SlugField(_("kortnamn"), max_length=40, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    # A login through the identity provider is matched on the HSA-id; where a
    # person has none on record, their verified e-mail address may match instead.
    idp_email_fallback = models.BooleanField(
        _("inloggning via identitetsleverantör får matchas på e-postadress"), default=True
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regioner")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class RegionOwnedModel(models.Model):
    """A row that belongs to exactly one region; scoped by default."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))

    objects = RegionScopedManager()
    unscoped = models.Manager()  # noqa: DJ012 - the scoped manager must stay the default (first)

    class Meta:
        abstract = True
        base_manager_name = "unscoped"


class Unit(RegionOwnedModel):
    class Kind(models.TextChoices):
        CLINIC = "clinic", _("Klinik")
        HEALTH_CENTRE = "health_centre", _("Vårdcentral")
        DEPARTMENT = "department", _("Sjukhusavdelning")

    name = models.CharField(_("namn"), max_length=150)
    # The unit's code in the region's own registers (HSA-id or cost centre):
    # what a bulk import matches the unit on, so a renamed unit is not doubled.
    code = models.CharField(_("enhetskod"), max_length=40, blank=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    specialty = models.ForeignKey(
        "assessments.Specialty",
        on_delete=models.PROTECT,
        verbose_name=_("specialitet"),
    )
    first_trainee_start = models.DateField(
        _("tog emot ST-läkare första gången"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=("region", "name"), name="unit_name_unique_in_region"),
            models.UniqueConstraint(
                fields=("region", "code"),
                condition=~models.Q(code=""),
                name="unit_code_unique_in_region",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    TRAINEE = "trainee", _("ST-läkare")
    SUPERVISOR = "supervisor", _("Handledare")
    STUDY_DIRECTOR = "study_director", _("Studierektor")
    REGIONAL_STUDY_DIRECTOR = "regional_study_director", _("Regionövergripande studierektor")
    HEAD_OF_UNIT = "head_of_unit", _("Verksamhetschef")
    REGIONAL_ADMIN = "regional_admin", _("Regional administratör")


# The page a user lands on is that of the first role they hold in this order.
ROLE_PRIORITY = [
    Role.REGIONAL_ADMIN,
    Role.REGIONAL_STUDY_DIRECTOR,
    Role.STUDY_DIRECTOR,
    Role.HEAD_OF_UNIT,
    Role.SUPERVISOR,
    Role.TRAINEE,
]
UNIT_ROLES = {Role.STUDY_DIRECTOR, Role.HEAD_OF_UNIT}
REGION_ROLES = {Role.REGIONAL_STUDY_DIRECTOR, Role.REGIONAL_ADMIN}
# Who sees units' pages (a unit, its reviews): the units' own staff and the region's.
UNIT_STAFF_ROLES = (
    Role.STUDY_DIRECTOR,
    Role.HEAD_OF_UNIT,
    Role.REGIONAL_STUDY_DIRECTOR,
    Role.REGIONAL_ADMIN,
)


class Membership(RegionOwnedModel):
    """A role a person holds in a region, for study directors and heads of unit per unit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("användare"),
    )
    role = models.CharField(_("roll"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("enhet"),
    )

    class Meta:
        verbose_name = _("roll i region")
        verbose_name_plural = _("roller i region")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "region", "role", "unit"), name="membership_unique"
            ),
            models.UniqueConstraint(
                fields=("user", "region", "role"),
                condition=models.Q(unit__isnull=True),
                name="membership_unique_regionwide",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit or self.region
        return f"{self.user} – {self.get_role_display()} ({where})"


class ObligationStatus(RegionOwnedModel):
    """The engine's latest answer for one obligation, kept so dashboards read rows, not rules.

    Rewritten for a trainee whenever their records change (see
    stprogram.changes.record_change); the reminder scan re-evaluates those not yet
    evaluated that day and rewrites the ones whose answer changed; the rest
    it reads from these rows (obligations.snapshot.open_obligations).
    The status is derived from `due` and `done_on` on the day a page is
    shown, so a deadline turns overdue without waiting for the next scan.
    """

    trainee = models.ForeignKey(
        "trainees.Trainee", on_delete=models.CASCADE, related_name="obligation_statuses"
    )
    code = models.CharField(max_length=60)
    period = models.CharField(max_length=20, blank=True)
    strength = models.CharField(max_length=10)
    due = models.DateField(null=True)
    done_on = models.DateField(null=True)
    # Events for a quota, hours with one decimal for supervision_hours.
    count = models.DecimalField(max_digits=7, decimal_places=1, null=True)
    required = models.DecimalField(max_digits=7, decimal_places=1, null=True)
    evaluated_on = models.DateField()

    class Meta:
        verbose_name = _("skyldighetsstatus")
        verbose_name_plural = _("skyldighetsstatus")
        indexes = [
            models.Index(fields=("region", "code", "due")),
            # The dashboard's open obligations per trainee: sorting by most overdue
            # and the quotas behind.
            models.Index(
                fields=("trainee", "due"),
                condition=models.Q(done_on__isnull=True),
                name="obligation_open_idx",
            ),
            # The risk list counts overdue musts per trainee from the index alone.
            models.Index(
                fields=("region", "trainee", "code", "due"),
                condition=models.Q(done_on__isnull=True, strength="must"),
                name="obligation_open_must_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id} {self.code} {self.period} {self.due}"


class Delegation(RegionOwnedModel):
    """A study director lets a deputy act in the role for some of their units, for a period.

    The deputy is given the django-guardian permission `act_as_deputy` on this
    row while it lasts (regions/delegations.py); every check also compares the
    dates with today, and an ended delegation gives nothing from that moment.
    """

    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="delegations_given",
        verbose_name=_("delegerad av"),
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="delegations_received",
        verbose_name=_("ersättare"),
    )
    role = models.CharField(
        _("roll"), max_length=30, choices=Role.choices, default=Role.STUDY_DIRECTOR
    )
    units = models.ManyToManyField(Unit, related_name="delegations", verbose_name=_("enheter"))
    start = models.DateField(_("från och med"))
    end = models.DateField(_("till och med"))
    reason = models.CharField(_("skäl"), max_length=300)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    ended_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avslutad av"),
    )

    class Meta:
        verbose_name = _("delegering")
        verbose_name_plural = _("delegeringar")
        permissions = [("act_as_deputy", "Ersätta i rollen under delegeringen")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="delegation_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.deputy} ({self.start}–{self.end})"

    @staticmethod
    def in_force(day: date) -> models.Q:
        """Not ended early and dated to include ``day``; checked on every use."""
        return models.Q(ended_at__isnull=True, start__lte=day, end__gte=day)


# The bulk onboarding's rows (regions.onboarding): imported here so they are the app's models.
from regions.onboarding.models import OnboardingImport, OnboardingInvitation  # noqa: E402, F401
