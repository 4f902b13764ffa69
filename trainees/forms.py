"""Forms for the trainee's programme. Every message is Swedish."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.goals import goal_name
from assessments.models import Regulation, Specialty
from assessments.selectors import goals_for
from regions.models import Membership, Region, Role, Unit
from stprogram.forms import EMPTY_CHOICE_LABEL, CalendarDateField
from stprogram.models import User
from trainees import personnummer
from trainees.models import Absence, Activity, Contract, Trainee
from trainees.selectors import region_supervisor

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def goal_choices(trainee: Trainee) -> list[tuple[str, str]]:
    """The goals that apply to the trainee, as (code, label) choices."""
    goals = goals_for(trainee.specialty, trainee.regulation, include_bt=trainee.bt_end is not None)
    return [(g.code, goal_name(g)) for g in goals]


class SpanForm(forms.Form):
    """A from–to period; the end may not come before the start."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Slutdatum kan inte vara före startdatum."))
        return data


class GoalsMixin(forms.Form):
    goal_codes = forms.MultipleChoiceField(
        label=_("Delmål"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def set_goals(self, trainee: Trainee) -> None:
        self.fields["goal_codes"].choices = goal_choices(trainee)


class RotationForm(SpanForm, GoalsMixin):
    unit_name = forms.CharField(label=_("Enhet"), max_length=200)
    host_region = forms.ModelChoiceField(
        label=_("Region (om placeringen är i en annan region)"),
        queryset=Region.objects.none(),
        required=False,
    )
    external = forms.BooleanField(
        label=_("Extern placering (utanför den egna förvaltningen)"), required=False
    )
    start = CalendarDateField(label=_("Från"), widget=DATE)
    end = CalendarDateField(label=_("Till"), widget=DATE)
    extent_percent = forms.IntegerField(
        label=_("Omfattning i procent av heltid"), min_value=1, max_value=100, initial=100
    )
    local_supervisor_email = forms.EmailField(
        label=_("Handledarens e-postadress på mottagande enhet"),
        required=False,
        help_text=_(
            "En handledare i en annan region får se just den här placeringen, "
            "från start till 30 dagar efter slut."
        ),
    )
    local_supervisor_name = forms.CharField(
        label=_("Handledarens namn på mottagande enhet"), max_length=200, required=False
    )
    contact_date = CalendarDateField(
        label=_("Kontakt med mottagande enhet"), required=False, widget=DATE
    )
    feedback_date = CalendarDateField(label=_("Återkoppling lämnad"), required=False, widget=DATE)
    description = forms.CharField(label=_("Beskrivning"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, trainee: Trainee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trainee = trainee
        self.set_goals(trainee)
        self.fields["host_region"].queryset = Region.objects.exclude(pk=trainee.region_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        email = data.get("local_supervisor_email")
        data["local_supervisor"] = None
        if email:
            data["local_supervisor"] = self._supervisor(email, data.get("host_region"))
        return data

    def _supervisor(self, email: str, host: Region | None) -> User | None:
        region = host or self.trainee.region
        user = region_supervisor(email, region.pk)
        if user is None:
            self.add_error(
                "local_supervisor_email",
                _("Ingen handledare med den e-postadressen finns i den valda regionen."),
            )
        return user

    def record_data(self) -> dict[str, Any]:
        """The validated values as the rotation's fields."""
        d = self.cleaned_data
        keys = (
            "unit_name",
            "host_region",
            "external",
            "start",
            "end",
            "extent_percent",
            "local_supervisor",
            "local_supervisor_name",
            "contact_date",
            "feedback_date",
            "goal_codes",
            "description",
        )
        return {k: d[k] for k in keys}


class ActivityForm(SpanForm, GoalsMixin):
    kind = forms.ChoiceField(label=_("Typ"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("Titel"), max_length=200)
    start = CalendarDateField(label=_("Från"), widget=DATE)
    end = CalendarDateField(label=_("Till"), widget=DATE)
    provider = forms.CharField(label=_("Kursgivare eller enhet"), max_length=200, required=False)
    leader_name = forms.CharField(
        label=_("Kursledare eller handledare"), max_length=200, required=False
    )
    description = forms.CharField(label=_("Beskrivning"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, trainee: Trainee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_goals(trainee)


class AbsenceForm(SpanForm):
    kind = forms.ChoiceField(label=_("Typ"), choices=Absence.Kind.choices)
    start = CalendarDateField(label=_("Från och med"), widget=DATE)
    end = CalendarDateField(label=_("Till och med"), widget=DATE)
    note = forms.CharField(label=_("Anteckning"), max_length=200, required=False)


class ContractForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ av kontrakt"), choices=Contract.Kind.choices)
    terms = forms.CharField(
        label=_("Villkor och åtaganden"), widget=forms.Textarea, max_length=20000
    )
    reason = forms.CharField(label=_("Anledning till ny version"), max_length=300, required=False)


class IupForm(forms.Form):
    service_plan_note = forms.CharField(
        label=_("Tjänstgöringsplan, övrigt"),
        required=False,
        widget=forms.Textarea,
        max_length=10000,
    )
    scientific_work = forms.CharField(
        label=_("Vetenskapligt arbete"), required=False, widget=forms.Textarea, max_length=10000
    )
    quality_work = forms.CharField(
        label=_("Kvalitets- och utvecklingsarbete"),
        required=False,
        widget=forms.Textarea,
        max_length=10000,
    )
    self_study = forms.CharField(
        label=_("Plan för självstudier"), required=False, widget=forms.Textarea, max_length=10000
    )
    change_summary = forms.CharField(
        label=_("Vad har ändrats och varför"),
        required=False,
        widget=forms.Textarea,
        max_length=2000,
    )


class GoalPlanForm(forms.Form):
    goal_code = forms.ChoiceField(label=_("Delmål"))
    activities = forms.CharField(
        label=_("Planerade utbildningsaktiviteter"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    assessment = forms.CharField(
        label=_("Hur delmålet ska bedömas"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )

    def __init__(self, *args: Any, goals: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal_code"].choices = [("", EMPTY_CHOICE_LABEL), *goals]


class PlannedItemForm(SpanForm):
    kind = forms.ChoiceField(
        label=_("Typ"), choices=[("rotation", _("Placering")), ("course", _("Kurs"))]
    )
    title = forms.CharField(label=_("Enhet eller kurs"), max_length=200)
    start = CalendarDateField(label=_("Från"), widget=DATE, required=False)
    end = CalendarDateField(label=_("Till"), widget=DATE, required=False)


class BaseGoalPlanFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        codes = [
            f.cleaned_data.get("goal_code")
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if len(codes) != len(set(codes)):
            raise ValidationError(_("Varje delmål får bara stå en gång."))


GoalPlanFormSet = forms.formset_factory(
    GoalPlanForm,
    formset=BaseGoalPlanFormSet,
    extra=2,
    max_num=60,
    validate_max=True,
    can_delete=True,
)
PlannedItemFormSet = forms.formset_factory(
    PlannedItemForm, extra=2, max_num=60, validate_max=True, can_delete=True
)


class EnrolForm(forms.Form):
    email = forms.EmailField(label=_("E-postadress"))
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    personnummer = forms.CharField(
        label=_("Personnummer"),
        required=False,
        max_length=13,
        help_text=_("ÅÅÅÅMMDD-NNNN. Används bara i intygen."),
    )
    home_unit = forms.ModelChoiceField(label=_("Hemenhet"), queryset=Unit.unscoped.none())
    specialty = forms.ModelChoiceField(label=_("Specialitet"), queryset=Specialty.objects.all())
    regulation = forms.ChoiceField(label=_("Föreskrift"), choices=Regulation.choices)
    start_date = CalendarDateField(label=_("Startdatum"), widget=DATE)
    bt_end = CalendarDateField(
        label=_("BT slutar (endast HSLF-FS 2021:8)"), required=False, widget=DATE
    )
    extent_percent = forms.IntegerField(
        label=_("Omfattning i procent av heltid"), min_value=1, max_value=100, initial=100
    )
    credited_months = forms.IntegerField(
        label=_("Tillgodoräknade månader"), min_value=0, max_value=66, initial=0
    )
    track = forms.ChoiceField(label=_("Inriktning"), choices=Trainee.Track.choices)
    main_supervisor = forms.ModelChoiceField(
        label=_("Huvudhandledare"), queryset=User.objects.none()
    )
    study_director = forms.ModelChoiceField(label=_("Studierektor"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_unit"].queryset = Unit.objects.all()
        self.fields["main_supervisor"].queryset = _people(Role.SUPERVISOR)
        self.fields["study_director"].queryset = _people(Role.STUDY_DIRECTOR)

    def clean_personnummer(self) -> str:
        value = self.cleaned_data["personnummer"]
        return personnummer.normalise(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        bt_end, start = data.get("bt_end"), data.get("start_date")
        if bt_end and data.get("regulation") != Regulation.HSLF_FS_2021_8:
            self.add_error("bt_end", _("BT finns bara i HSLF-FS 2021:8."))
        elif bt_end and start and bt_end <= start:
            self.add_error("bt_end", _("BT måste sluta efter startdatum."))
        return data


def _people(role: str) -> Any:
    ids = Membership.objects.filter(role=role).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name")


class AssignmentForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Roll"),
        choices=[
            ("main_supervisor", _("Huvudhandledare")),
            ("study_director", _("Studierektor")),
        ],
    )
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    start = CalendarDateField(label=_("Från och med"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = Membership.objects.filter(role__in=(Role.SUPERVISOR, Role.STUDY_DIRECTOR)).values(
            "user_id"
        )
        self.fields["user"].queryset = User.objects.filter(pk__in=ids).order_by("last_name")
