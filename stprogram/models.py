"""Cross-cutting models: the user account, access log, signatures, history and reminders."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        from stprogram.accounts import email_address_vouch

        if not email:
            raise ValueError("E-postadress krävs.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        # Whoever creates an account (enrolment, an operator) vouches for its
        # address; with mandatory verification it could not log in otherwise.
        email_address_vouch(user=user)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        """Create an ordinary account."""
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        """Create a technical administrator with access to the Django admin."""
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


# Inera's format: "SE", the directory owner's 10-digit organisation number, a
# hyphen, then at least one letter A-Z/a-z or digit; 31 characters at most.
HSA_ID_PATTERN = r"^SE[0-9]{10}-[A-Za-z0-9]+$"
validate_hsa_id = RegexValidator(
    HSA_ID_PATTERN,
    _("Ett HSA-id skrivs SE, tio siffror, bindestreck och bokstäver eller siffror."),
)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-postadress"), unique=True)
    # How the region's identity provider names the person (Inera: employeeHsaId);
    # a login is matched on it before the e-mail address (stprogram.adapters).
    hsa_id = models.CharField(
        _("HSA-id"),
        max_length=31,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_hsa_id],
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ("last_name", "first_name", "email")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class AccessLog(models.Model):
    """Who looked at something sensitive: a personnummer or another region's records."""

    class Kind(models.TextChoices):
        PERSONNUMMER = "personnummer", _("Visning av personnummer")
        CROSS_REGION = "cross_region", _("Åtkomst över regiongräns")
        DOWNLOAD = "download", _("Nedladdning av fil")

    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, verbose_name=_("användare"))
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    region_slug = models.SlugField(_("region"), max_length=40)
    object_repr = models.CharField(_("objekt"), max_length=200)
    path = models.CharField(_("sökväg"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("åtkomstlogg")
        verbose_name_plural = _("åtkomstloggar")
        ordering = ("-at",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.kind} {self.object_repr}"

    @classmethod
    def record(cls, request: Any, kind: str, object_repr: str) -> AccessLog:
        """Log that the request's user looked at something sensitive, on the request's page."""
        return cls.objects.create(
            user=request.user,
            kind=kind,
            region_slug=request.region.slug,
            object_repr=object_repr[:200],
            path=request.path[:300],
        )


class Signature(models.Model):
    """A signature: who signed what, in which role, when, and a hash of the content.

    The hash is of the canonical content at signing time; a record whose
    content no longer matches its signatures is shown as changed, and signed
    records are locked by the services (a change makes a new version).
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    region_slug = models.SlugField(_("region"), max_length=40)
    user = models.ForeignKey(User, on_delete=models.PROTECT, verbose_name=_("undertecknare"))
    party = models.CharField(_("i egenskap av"), max_length=30)
    signed_at = models.DateTimeField(_("undertecknad"), default=timezone.now)
    content_hash = models.CharField(_("kontrollsumma"), max_length=64)

    class Meta:
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        ordering = ("signed_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("content_type", "object_id", "party"), name="one_signature_per_party"
            )
        ]
        indexes = [models.Index(fields=("content_type", "object_id"))]

    def __str__(self) -> str:
        return f"{self.user} ({self.party}) {self.signed_at:%Y-%m-%d}"


class AuditEvent(models.Model):
    """One change to a training record: who did what to which record, and when."""

    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    region_slug = models.SlugField(_("region"), max_length=40)
    trainee_id = models.PositiveBigIntegerField(_("ST-läkare"), null=True, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, verbose_name=_("utförd av"))
    action = models.CharField(_("händelse"), max_length=60)
    object_repr = models.CharField(_("objekt"), max_length=200)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)

    class Meta:
        verbose_name = _("historikpost")
        verbose_name_plural = _("historik")
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"


class NotificationPreference(models.Model):
    """How a person wants their reminders: e-mail mode and the categories they muted."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("Direkt, ett e-postmeddelande per påminnelse")
        DIGEST = "digest", _("Veckosammanfattning")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_mode = models.CharField(
        _("e-post"), max_length=12, choices=Mode.choices, default=Mode.IMMEDIATE
    )
    muted = models.JSONField(_("avstängda kategorier"), default=list, blank=True)
    # The Monday of the last week a digest went out; claimed with a conditional
    # update so two digest runs cannot both send this week's digest.
    last_digest_week = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("aviseringsinställning")
        verbose_name_plural = _("aviseringsinställningar")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_email_mode_display()})"


class Reminder(models.Model):
    """One reminder step of one obligation for one person: the outbox row and the notification.

    Unique per (obligation, recipient, step), so a scan can be repeated or run
    twice at once without creating a second row; delivery claims a row with a
    conditional update, so only one process ever sends it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar")
        SENDING = "sending", _("Skickas")
        SENT = "sent", _("Skickad")
        DIGEST = "digest", _("Väntar på veckosammanfattning")
        MUTED = "muted", _("Avstängd kategori")
        CANCELLED = "cancelled", _("Inaktuell")

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reminders")
    obligation_key = models.CharField(max_length=200)
    step = models.CharField(max_length=20)
    category = models.CharField(max_length=30)
    code = models.CharField(max_length=60)
    strength = models.CharField(max_length=10)
    due = models.DateField()
    subject_label = models.CharField(max_length=200)
    count = models.PositiveIntegerField(null=True)
    required = models.PositiveIntegerField(null=True)
    path = models.CharField(max_length=300)
    source = models.CharField(max_length=200, blank=True)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(
                fields=("obligation_key", "user", "step"), name="one_reminder_per_step"
            )
        ]
        indexes = [
            models.Index(fields=("status", "next_attempt_at")),
            models.Index(fields=("user", "notified_at")),
            models.Index(fields=("claim_token",)),
        ]

    def __str__(self) -> str:
        return f"{self.obligation_key} {self.step} → {self.user_id}"


class CalendarFeed(models.Model):
    """A person's secret calendar address; only a hash of the token is stored."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kalenderprenumeration")
        verbose_name_plural = _("kalenderprenumerationer")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class Invitation(models.Model):
    """A single-use link that lets a new account's owner set their password.

    Only a hash of the token is stored; a new invitation voids the earlier
    ones, and the link expires after `STPROGRAM_INVITATION_DAYS`.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("konto")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    region_slug = models.SlugField(_("region"), max_length=40)
    trainee_id = models.PositiveBigIntegerField(_("ST-läkare"), null=True, blank=True)
    sent_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("skickad av")
    )
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)
    expires_at = models.DateTimeField(_("gäller till"))
    used_at = models.DateTimeField(_("använd"), null=True, blank=True)
    voided_at = models.DateTimeField(_("ersatt"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        ordering = ("-sent_at", "-pk")

    def __str__(self) -> str:
        return f"{self.user} {self.sent_at:%Y-%m-%d}"
