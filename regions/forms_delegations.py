"""The form with which a study director names a deputy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Membership, Role, Unit
from stprogram.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Who may stand in for a study director: the region's doctors in a staff role.
DEPUTY_ROLES = (
    Role.SUPERVISOR,
    Role.STUDY_DIRECTOR,
    Role.HEAD_OF_UNIT,
    Role.REGIONAL_STUDY_DIRECTOR,
)


class DeputyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.email


class DelegationForm(forms.Form):
    deputy = DeputyChoice(label=_("Ersättare"), queryset=User.objects.none())
    # Plain choices: a model multiple choice sends any posted number to the database.
    units = forms.MultipleChoiceField(label=_("Enheter"), widget=forms.CheckboxSelectMultiple)
    start = forms.DateField(label=_("Från och med"), widget=DATE)
    end = forms.DateField(label=_("Till och med"), widget=DATE)
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=300,
        help_text=_("Till exempel semester eller tjänstledighet. Syns i historiken."),
    )

    def __init__(self, *args: Any, user: User, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = Membership.objects.filter(role__in=DEPUTY_ROLES).values("user_id")
        self.fields["deputy"].queryset = (
            User.objects.filter(pk__in=staff)
            .exclude(pk=user.pk)
            .order_by("last_name", "first_name")
        )
        self.units = {str(unit.pk): unit for unit in units}
        self.fields["units"].choices = [(key, unit.name) for key, unit in self.units.items()]

    def clean_units(self) -> list[Unit]:
        return [self.units[key] for key in self.cleaned_data["units"]]
