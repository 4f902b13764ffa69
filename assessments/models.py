"""The national curriculum catalogue: regulations and specialties."""

from __future__ import annotations

from django.db import models
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
