"""Forms of the region's own pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Role, Unit
from regions.services import REGION_WIDE_ROLES, UNIT_BOUND_ROLES


class StaffForm(forms.Form):
    email = forms.EmailField(label=_("E-postadress"))
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    role = forms.ChoiceField(
        label=_("Roll"),
        choices=[(r.value, r.label) for r in Role if r in (*UNIT_BOUND_ROLES, *REGION_WIDE_ROLES)],
    )
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=Unit.unscoped.none(),
        required=False,
        empty_label=_("Ingen (regionövergripande roll)"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The active region's units only: a unit of another region is not a choice.
        self.fields["unit"].queryset = Unit.objects.all()
