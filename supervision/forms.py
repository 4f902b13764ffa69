"""Forms for supervision: a meeting in under a minute, supervisor training."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.instruments import PastDateField
from stprogram.forms import CalendarDateField
from supervision.models import SupervisorProfile, SupervisorTraining
from trainees.forms import DATE, GoalsMixin
from trainees.models import Trainee


class MeetingForm(GoalsMixin):
    # What a supervisor has at hand right after the talk comes first; the goals last.
    field_order = ("date", "minutes", "topics", "agreed_actions", "goal_codes")

    date = PastDateField(
        label=_("Datum"),
        widget=DATE,
        error_messages={"future": _("Ett handledarsamtal kan inte loggas i förväg.")},
    )
    minutes = forms.IntegerField(label=_("Längd i minuter"), min_value=5, max_value=480, initial=60)
    topics = forms.CharField(
        label=_("Ämnen"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    agreed_actions = forms.CharField(
        label=_("Överenskomna åtgärder"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, trainee: Trainee, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.set_goals(trainee)


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ"), choices=SupervisorTraining.Kind.choices)
    day = PastDateField(label=_("Datum"), widget=DATE)
    provider = forms.CharField(label=_("Utbildningsanordnare"), max_length=200, required=False)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = SupervisorProfile
        fields = ("specialty", "specialist_since")
        field_classes = {"specialist_since": CalendarDateField}
        widgets = {"specialist_since": DATE}
