"""The yearly records the regions require, one form per ``YearlyRecord.Kind``.

Each form's fields come from the regional source named in ``YearlyForm.source``
(``/work/shared/seeds``): what the source says the record *ska* contain is required,
what it mentions as possible or regional is optional. ``json_data()`` is what goes into
``YearlyRecord.data``; ``YearlyForm.summary()`` turns it back into labelled rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.instruments import (
    PastDateField,
    RecordForm,
    choice_field,
    line_field,
    summarise,
    text_field,
)
from regions.rules.profile import load_profile
from stprogram.forms import CalendarDateField
from supervision.models import YearlyRecord
from trainees import parties as p

Kind = YearlyRecord.Kind

# A record is usually written within days of the talk or meeting; two weeks covers
# holidays and a busy clinic. Older dates are allowed (a talk held on paper) but
# need a reason and are shown as recorded late, since a back-dated record could
# otherwise quietly clear an overdue obligation.
LATE_GRACE_DAYS = 14
LATE_REASON_REQUIRED = _(
    "Datumet ligger mer än 14 dagar bakåt i tiden. Ange varför uppföljningen registreras i "
    "efterhand."
)

SUPERVISION_AREAS = [
    ("medicinsk_kompetens", _("Medicinsk kompetens")),
    ("kommunikation", _("Kommunikation")),
    ("etik", _("Etik")),
    ("ledarskap", _("Ledarskap")),
    ("pedagogik", _("Pedagogik")),
    ("vetenskapligt_förhållningssätt", _("Vetenskapligt förhållningssätt")),
    ("professionell_utveckling", _("Professionell utveckling")),
]
PLANNING_PARTICIPANTS = [
    ("st_läkare", _("ST-läkare")),
    ("huvudhandledare", _("Huvudhandledare")),
    ("chef", _("Chef")),
    ("studierektor", _("Studierektor")),
    ("utbildningssekreterare", _("Utbildningssekreterare")),
]


def recorded_late(day: date) -> bool:
    """Whether a record dated ``day`` and written today counts as recorded late."""
    return day < timezone.localdate() - timedelta(days=LATE_GRACE_DAYS)


class YearlyRecordForm(RecordForm):
    """What every yearly record has: the day it was written or held (and why it is late)."""

    date = PastDateField(label=_("Datum"))
    late_reason = text_field(
        _("Skäl till efterregistrering"),
        required=False,
        help_text=_("Krävs om datumet ligger mer än 14 dagar bakåt i tiden."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day = data.get("date")
        if day and recorded_late(day) and not data.get("late_reason", "").strip():
            self.add_error("late_reason", LATE_REASON_REQUIRED)
        return data


class AnnualReportForm(YearlyRecordForm):
    """The trainee's written report on the past year (Norrbotten; Blekinge: achieved competence)."""

    placements = text_field(_("Placeringar och sidoutbildningar under året"))
    courses = text_field(
        _("Kurser under året"), help_text=_("Skriv ”Inga” om du inte har gått någon kurs.")
    )
    projects = text_field(
        _("Arbeten och projekt"),
        required=False,
        help_text=_("T.ex. vetenskapligt arbete eller kvalitets- och utvecklingsarbete."),
    )
    competences = text_field(_("Uppnådda kompetenser och professionell utveckling"))
    supervision = text_field(_("Hur handledning och kompetensbedömningar har genomförts"))
    plan = text_field(_("Plan för det kommande året"))
    with_supervisor = forms.BooleanField(
        label=_("Rapporten är framtagen tillsammans med handledaren"),
        required=False,
        help_text=_("I Blekinge lämnas rapporten tillsammans med handledaren."),
    )


class SupervisorStatementForm(YearlyRecordForm):
    """The main supervisor's yearly statement on the supervision and the trainee's development."""

    supervision = text_field(_("Hur handledningen har genomförts"))
    assessments = text_field(_("Hur kompetensbedömningarna har genomförts"))
    development = text_field(
        _("Handledarens bedömning av ST-läkarens kompetensutveckling och professionella utveckling")
    )
    checklist_reviewed = forms.BooleanField(
        label=_("ST-läkare och handledare har gått igenom checklistan"),
        required=False,
        help_text=_("I Östergötland inför studierektorns årliga uppföljning."),
    )
    sent_to_study_director = PastDateField(label=_("Skickat till studierektor"), required=False)


class DevelopmentTalkForm(YearlyRecordForm):
    """The yearly (competence) development talk with the head of unit."""

    held_by = line_field(
        _("Samtalet hölls av"), help_text=_("Verksamhetschef eller den chef som har uppdraget.")
    )
    competence_development = text_field(
        _("ST-läkarens kompetensutveckling"),
        help_text=_("Hur utbildningen fortskrider i förhållande till IUP och målbeskrivning."),
    )
    basis = text_field(
        _("Underlag"),
        required=False,
        help_text=_("T.ex. resultat från specialistkollegium."),
    )
    conditions = text_field(
        _("Förutsättningar för utbildningen"),
        required=False,
        help_text=_("Tid för handledning, kurser, självstudier, dokumentation och arbeten."),
    )
    agreements = text_field(_("Överenskommelser"), required=False)


class StudyDirectorFollowupForm(YearlyRecordForm):
    """A follow-up with the study director on progress against the IUP."""

    participants = text_field(
        _("Deltagare"),
        help_text=_("Normalt studierektor, ST-läkare och huvudansvarig handledare."),
    )
    goal_progress = text_field(_("Måluppfyllelse och progression i förhållande till IUP"))
    iup_revision_needed = forms.BooleanField(label=_("IUP behöver revideras"), required=False)
    actions = text_field(_("Överenskomna åtgärder"), required=False)
    next_followup = CalendarDateField(
        label=_("Nästa avstämning"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class SupervisionEvaluationForm(YearlyRecordForm):
    """The trainee's and main supervisor's evaluation of the supervision itself (Halland)."""

    evaluation_form = choice_field(
        _("Utvärderingen gjordes"),
        [("skriftligt", _("Skriftligt")), ("muntligt", _("Muntligt"))],
    )
    how_it_works = text_field(_("Hur handledningen fungerar"))
    areas_covered = forms.MultipleChoiceField(
        label=_("Områden som handledningen har omfattat"),
        choices=SUPERVISION_AREAS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    extent = line_field(
        _("Ungefärlig omfattning"),
        required=False,
        help_text=_("Riktmärke i Halland: 1–2 timmar per vecka vid heltid."),
    )
    improvements = text_field(_("Vad som kan förbättras"), required=False)
    study_director_followup = text_field(_("Studierektorns uppföljning"), required=False)


class PlanningMeetingForm(YearlyRecordForm):
    """The planning meeting after about three months (Östergötland): a rough plan for ST."""

    participants = forms.MultipleChoiceField(
        label=_("Deltagare"),
        choices=PLANNING_PARTICIPANTS,
        widget=forms.CheckboxSelectMultiple,
    )
    participant_names = line_field(_("Deltagarnas namn"), required=False)
    plan = text_field(_("Grovplanering för ST-tiden"))
    side_rotations = text_field(_("Planerade sidotjänstgöringar"))

    def clean_participants(self) -> list[str]:
        participants = self.cleaned_data["participants"]
        if "st_läkare" not in participants:
            raise forms.ValidationError(_("ST-läkaren ska delta i planeringsmötet."))
        return participants


class SupervisorFollowupForm(YearlyRecordForm):
    """The main supervisor's yearly follow-up talk with the trainee (Blekinge §3.3)."""

    followed_up = text_field(
        _("Vad som följdes upp"),
        help_text=_("T.ex. kompetensutveckling, handledningen, planen framåt."),
    )
    agreements = text_field(_("Överenskommelser"), required=False)


PLAN_CHANGES = [
    ("none", _("Nej, planen gäller oförändrad")),
    ("minor", _("Mindre justeringar")),
    ("major", _("Större ändringar: en ny IUP-version ska upprättas och godkännas")),
]


class IupFollowupForm(YearlyRecordForm):
    """A yearly check of the IUP: what was checked, by whom, whether the plan changed.

    A follow-up is not a new signed version: Norrbotten asks for a follow-up "minst
    1 gånger per år" and revision "vid behov"; Halland for a documented check, with
    re-approval only for "större justeringar".
    """

    participants = line_field(
        _("Deltagare"), help_text=_("Normalt ST-läkare och huvudansvarig handledare.")
    )
    checked = text_field(_("Vad som stämdes av mot IUP"))
    plan_changed = choice_field(_("Ändrades planen?"), PLAN_CHANGES)
    changes = text_field(_("Ändringar"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("plan_changed") in ("minor", "major") and not data.get("changes", "").strip():
            self.add_error("changes", _("Beskriv vad som ändrades i planen."))
        return data


@dataclass(frozen=True)
class YearlyForm:
    """A kind of yearly record, its form, the source its fields come from and who writes it.

    ``author`` is the party (``trainees.parties``) the source makes responsible for
    the record; only that party, for the trainee's own unit, may record it.
    """

    kind: str
    label: str
    form_class: type[forms.Form]
    source: str
    author: str

    def summary(self, data: dict[str, Any]) -> list[tuple[str, str]]:
        """(label, display value) rows for a saved ``YearlyRecord.data``, in form order."""
        return summarise(self.form_class, data)


_SOURCES: dict[str, tuple[type[forms.Form], str, str]] = {
    # The trainee writes the report (Norrbotten), handed in with the supervisor (Blekinge).
    Kind.ANNUAL_REPORT: (
        AnnualReportForm,
        "001_6c26e9e13ad81653.txt BT- och ST-läkare; "
        "000_78535177efd85ec7.txt 3.2 ST-läkarens uppdrag",
        p.TRAINEE,
    ),
    # "skall också skriva ett årligt handledarutlåtande" (Östergötland, of the main supervisor).
    Kind.SUPERVISOR_STATEMENT: (
        SupervisorStatementForm,
        "001_6c26e9e13ad81653.txt Handledare; "
        "002_9e78cac0a2d4eb6a.txt Uppföljning av ST-utbildningen",
        p.MAIN_SUPERVISOR,
    ),
    # The head of unit holds and documents the talk ("Ansvar: Verksamhetschef", Jönköping).
    Kind.DEVELOPMENT_TALK: (
        DevelopmentTalkForm,
        "000_78535177efd85ec7.txt 3.4 Verksamhetschefens ansvar; "
        "001_6c26e9e13ad81653.txt Verksamhetschef; "
        "002_9e78cac0a2d4eb6a.txt Chefens ansvar; "
        "003_9a0985358a5453c7.txt Utvärdering av ST-läkarens kompetens",
        p.HEAD_OF_UNIT,
    ),
    Kind.SR_FOLLOWUP: (
        StudyDirectorFollowupForm,
        "004_345cedfb9b047071.txt Planerade avstämningar; 001_6c26e9e13ad81653.txt Studierektor",
        p.STUDY_DIRECTOR,
    ),
    # "bör dokumenteras och följas upp av studierektor" (Halland).
    Kind.SUPERVISION_EVALUATION: (
        SupervisionEvaluationForm,
        "004_345cedfb9b047071.txt Utvärdering av handledning; 004_345cedfb9b047071.txt Handledning",
        p.STUDY_DIRECTOR,
    ),
    # Booked with the study director, who takes part in drawing up the plan (Östergötland).
    Kind.PLANNING_MEETING: (
        PlanningMeetingForm,
        "002_9e78cac0a2d4eb6a.txt Introduktion; 002_9e78cac0a2d4eb6a.txt Studierektorns ansvar",
        p.STUDY_DIRECTOR,
    ),
    # "genomföra årliga uppföljningssamtal med ST-läkaren" (Handledarens uppdrag).
    Kind.SUPERVISOR_FOLLOWUP: (
        SupervisorFollowupForm,
        "000_78535177efd85ec7.txt 3.3 Handledarens uppdrag",
        p.MAIN_SUPERVISOR,
    ),
    # Halland: the main supervisor "genomför minst en gång per år en dokumenterad
    # avstämning mot … (IUP)"; Norrbotten: followed up at least yearly.
    Kind.IUP_FOLLOWUP: (
        IupFollowupForm,
        "001_6c26e9e13ad81653.txt Definitioner, Individuellt utbildningsprogram; "
        "004_345cedfb9b047071.txt Huvudansvarig handledare",
        p.MAIN_SUPERVISOR,
    ),
}

YEARLY_FORMS: dict[str, YearlyForm] = {
    str(kind): YearlyForm(str(kind), Kind(kind).label, form_class, source, author)
    for kind, (form_class, source, author) in _SOURCES.items()
}


def offered_in(kind: str, region_slug: str) -> bool:
    """Whether the region's profile has the obligation this kind of record fulfils.

    The older kinds are offered everywhere; the two follow-ups only where they
    count (a Blekinge IUP follow-up would not clear its revision).
    """
    profile = load_profile(region_slug)
    if kind == Kind.SUPERVISOR_FOLLOWUP:
        return profile.rule("supervisor_followup") is not None
    if kind == Kind.IUP_FOLLOWUP:
        rule = profile.rule("iup_revision")
        return rule is not None and "iup_followup" in rule.also_met_by
    return True


def yearly_form(kind: str) -> YearlyForm:
    """The form for a ``YearlyRecord.Kind`` value; ``KeyError`` if there is none."""
    return YEARLY_FORMS[kind]
