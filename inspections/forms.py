"""Forms for reviews, reports, findings, measures, the follow-up and the self-assessment."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections import questionnaire
from inspections.models import Finding, Inspection, InspectionMeasure, SelfAssessment
from stprogram.models import User

EARLIEST = date(2000, 1, 1)
HORIZON = timedelta(days=366 * 10)
DATE = forms.DateInput(attrs={"type": "date"})


OUT_OF_RANGE = _("Datumet måste ligga mellan år 2000 och tio år fram i tiden.")


def _in_range(value: date | None) -> None:
    if value and not (EARLIEST <= value <= timezone.localdate() + HORIZON):
        raise forms.ValidationError(OUT_OF_RANGE)


class ReviewForm(forms.ModelForm):
    """Plan an external review, or record one that took place."""

    class Meta:
        model = Inspection
        fields = ("planned_on", "performed_on", "ordering_body", "inspectors", "summary")
        widgets = {"planned_on": DATE, "performed_on": DATE, "summary": forms.Textarea}
        help_texts = {
            "planned_on": _("När granskningen är bokad. Lämna tomt om den redan är genomförd."),
            "performed_on": _("Fyll i när granskningen är gjord: då räknas den i reglerna."),
            "ordering_body": _("Till exempel LIPUS (SPUR)."),
            "inspectors": _("Namn på inspektörerna, åtskilda med kommatecken."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        planned, performed = data.get("planned_on"), data.get("performed_on")
        if not planned and not performed and not self.errors:
            raise forms.ValidationError(_("Ange planerat datum eller datum då den genomfördes."))
        for name in ("planned_on", "performed_on"):
            try:
                _in_range(data.get(name))
            except forms.ValidationError as error:
                self.add_error(name, error)
        if performed and performed > timezone.localdate():
            self.add_error("performed_on", _("En granskning kan inte vara genomförd i framtiden."))
        return data


class ReportForm(forms.Form):
    rapport = forms.FileField(
        label=_("Granskningsrapport (PDF)"),
        help_text=_(
            "Endast PDF. Filen visas bara för enhetens ledning och regionens studierektorer."
        ),
    )


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ("kind", "area", "severity", "text")
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


def _person(user: User) -> str:
    return user.get_full_name() or user.email


class MeasureForm(forms.ModelForm):
    """A measure of the review's action plan; owners are the unit's staff."""

    # Declared here: the default field would read the region-scoped manager at import.
    finding = forms.ModelChoiceField(
        label=_("Fynd"), queryset=Finding.unscoped.none(), required=False
    )

    class Meta:
        model = InspectionMeasure
        fields = ("description", "finding", "owner", "due")
        widgets = {"due": DATE}

    def __init__(self, *args: Any, inspection: Inspection, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = Finding.objects.filter(inspection=inspection)
        self.fields["finding"].empty_label = _("Inget särskilt fynd")
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = _person

    def clean_due(self) -> date:
        due = self.cleaned_data["due"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("Datumet har redan passerat."))
        _in_range(due)
        return due


class FollowUpPlanForm(forms.ModelForm):
    """When the action plan is followed up: before the next review.

    Halland: "Handlingsplanen bör följas upp före nästkommande
    kvalitetsgranskning" (004_345cedfb9b047071.txt, Utvecklingsarbete på
    utbildande klinik eller enhet); Blekinge: findings must be remedied
    (000_78535177efd85ec7.txt §1.4).
    """

    class Meta:
        model = Inspection
        fields = ("follow_up_due",)
        widgets = {"follow_up_due": DATE}

    def clean_follow_up_due(self) -> date:
        due = self.cleaned_data["follow_up_due"]
        if due is None:
            raise forms.ValidationError(_("Ange ett datum."))
        _in_range(due)
        return due


class FollowUpDoneForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ("followed_up_on", "follow_up_notes")
        widgets = {"followed_up_on": DATE, "follow_up_notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["followed_up_on"].required = True
        self.fields["follow_up_notes"].required = True

    def clean_followed_up_on(self) -> date:
        day = self.cleaned_data["followed_up_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Uppföljningen kan inte vara gjord i framtiden."))
        _in_range(day)
        return day


class SelfAssessmentForm(forms.Form):
    """One score, comment and evidence field per question, grouped by area in the template."""

    def __init__(self, *args: Any, assessment: SelfAssessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = {a.question: a for a in assessment.answers.all()}
        choices = [("", _("Ej besvarad")), *questionnaire.SCORES]
        for area in questionnaire.AREAS:
            for q in area.questions:
                answer = stored.get(q.code)
                self.fields[f"{q.code}-score"] = forms.TypedChoiceField(
                    label=q.text,
                    choices=choices,
                    required=False,
                    coerce=int,
                    empty_value=None,
                    initial=answer.score if answer else None,
                )
                self.fields[f"{q.code}-comment"] = forms.CharField(
                    label=_("Kommentar"),
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=answer.comment if answer else "",
                )
                self.fields[f"{q.code}-evidence"] = forms.CharField(
                    label=_("Underlag"),
                    help_text=_(
                        "Vad bedömningen bygger på, till exempel en rutin eller statistik."
                    ),
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=answer.evidence if answer else "",
                )

    def areas(self) -> list[dict[str, Any]]:
        """The bound fields grouped by area and question, for the template."""
        return [
            {
                "area": area,
                "questions": [
                    {
                        "question": q,
                        "score": self[f"{q.code}-score"],
                        "comment": self[f"{q.code}-comment"],
                        "evidence": self[f"{q.code}-evidence"],
                    }
                    for q in area.questions
                ],
            }
            for area in questionnaire.AREAS
        ]

    def answers(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            code: {
                "score": data.get(f"{code}-score"),
                "comment": data.get(f"{code}-comment", ""),
                "evidence": data.get(f"{code}-evidence", ""),
            }
            for code in questionnaire.QUESTIONS
        }

    def check_complete(self) -> bool:
        """Every question needs a score before the occasion can be completed."""
        missing = [
            code
            for code in questionnaire.QUESTIONS
            if self.cleaned_data.get(f"{code}-score") is None
        ]
        for code in missing:
            self.add_error(f"{code}-score", _("Välj ett värde innan självvärderingen slutförs."))
        return not missing
