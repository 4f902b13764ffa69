"""Forms for action plans."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stprogram.forms import CalendarDateField

MAX_MEASURES = 5


class ActionPlanForm(forms.Form):
    problem_areas = forms.CharField(
        label=_("Problemområden"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    follow_up_on = CalendarDateField(
        label=_("Uppföljning"), widget=forms.DateInput(attrs={"type": "date"})
    )


class MeasureForm(forms.Form):
    description = forms.CharField(label=_("Åtgärd"), max_length=300)
    owner = forms.TypedChoiceField(label=_("Ansvarig"), coerce=int)
    due = CalendarDateField(label=_("Klart senast"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, owners: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "–"), *owners]


class BaseMeasureFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": _("Ange minst en åtgärd med ansvarig och datum."),
        "too_many_forms": _("Högst %(num)d åtgärder per plan."),
    }


MeasureFormSet = forms.formset_factory(
    MeasureForm,
    formset=BaseMeasureFormSet,
    extra=3,
    max_num=MAX_MEASURES,
    min_num=1,
    validate_min=True,
    validate_max=True,
)


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Utfall"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
