"""The notification settings form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stprogram.models import NotificationPreference
from stprogram.reminders.text import CATEGORY_LABELS


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Hur vill du få e-post?"),
        choices=NotificationPreference.Mode.choices,
        widget=forms.RadioSelect,
    )
    enabled = forms.MultipleChoiceField(
        label=_("Påminn mig om"),
        help_text=_(
            "Avmarkerade kategorier ger varken e-post eller avisering. Eskaleringar till "
            "studierektor kan inte stängas av."
        ),
        choices=list(CATEGORY_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def muted(self) -> list[str]:
        """The categories left unticked."""
        return [key for key in CATEGORY_LABELS if key not in self.cleaned_data["enabled"]]
