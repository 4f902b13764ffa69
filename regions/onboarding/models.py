"""The rows behind a bulk onboarding: the uploaded import, and each invitation it owes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import RegionOwnedModel


class OnboardingImport(RegionOwnedModel):
    """One uploaded file set: checked (dry run), then confirmed and run once by the worker.

    The files are kept in the row (they are small: a region's staff and trainees
    fit in a few hundred kilobytes), so the worker reads exactly what was checked.
    """

    class Status(models.TextChoices):
        CHECKED = "checked", _("Kontrollerad, väntar på bekräftelse")
        PENDING = "pending", _("Väntar på att köras")
        RUNNING = "running", _("Körs")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Avbruten, inget sparat")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uppladdad av"),
    )
    file_names = models.CharField(_("filer"), max_length=300)
    # [{"name": ..., "data": base64}], as uploaded.
    files = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    rows = models.PositiveIntegerField(_("rader"), default=0)
    summary = models.JSONField(_("sammanfattning"), default=dict, blank=True)
    error = models.CharField(_("fel"), max_length=300, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("uppladdad"), default=timezone.now)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("inläsning av personal och ST-läkare")
        verbose_name_plural = _("inläsningar av personal och ST-läkare")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=("status", "claimed_at"))]

    def __str__(self) -> str:
        return f"{self.file_names} ({self.status})"


class OnboardingInvitation(RegionOwnedModel):
    """The invitation an imported account is owed: sent once, in a batch, by the worker.

    Unique per person and region, so a re-run of the import owes nothing new;
    a batch claims rows with a conditional update and marks each sent in the
    transaction that writes its invitation, so no one is invited twice.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("konto"),
    )
    trainee_id = models.PositiveBigIntegerField(_("ST-läkare"), null=True, blank=True)
    onboarding = models.ForeignKey(
        OnboardingImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("begärd av"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbjudan från inläsning")
        verbose_name_plural = _("inbjudningar från inläsning")
        constraints = [
            models.UniqueConstraint(fields=("region", "user"), name="one_onboarding_invitation")
        ]
        indexes = [models.Index(fields=("sent_at", "claimed_at"))]

    def __str__(self) -> str:
        return f"{self.user_id} ({'skickad' if self.sent_at else 'väntar'})"
