"""The upload form: one XLSX workbook, or up to three CSV files (one table each)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 3
SUFFIXES = (".csv", ".xlsx", ".txt")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(SUFFIXES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class OnboardingForm(forms.Form):
    files = MultipleFileField(
        label=_("Filer"),
        help_text=_(
            "En XLSX-arbetsbok med flikarna Enheter, Personal och ST-läkare, eller upp till "
            "tre CSV-filer (semikolonavgränsade, som Excel sparar dem)."
        ),
    )

    def clean_files(self) -> list[tuple[str, bytes]]:
        uploads = self.cleaned_data["files"]
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(_("Högst tre filer åt gången."))
        for upload in uploads:
            if not upload.name.lower().endswith(SUFFIXES):
                raise forms.ValidationError(
                    _("%(name)s är varken en CSV-fil eller en XLSX-fil.") % {"name": upload.name}
                )
            if upload.size > MAX_FILE_BYTES:
                raise forms.ValidationError(
                    _("%(name)s är större än %(size)s.")
                    % {"name": upload.name, "size": filesizeformat(MAX_FILE_BYTES)}
                )
        return [(upload.name, upload.read()) for upload in uploads]
