"""The workplace-based assessment instruments: one assessor's form per ``Assessment.Method``.

A form's ``json_data()`` is what goes into ``Assessment.data``; ``Instrument.summary()``
turns that saved data back into labelled rows for pages and PDFs. The fields follow
``regulations.md`` ("Workplace-based assessment instruments").

Scales, and why:
- Mini-CEX: 1–9 in three bands (under / at / over the expected level), as on the
  original form.
- CBD and the 360° rater form: 1–6 (1–2 under, 3 borderline, 4 expected, 5–6 over),
  as in CbD and the Sheffield peer review.
- DOPS: how much supervision the trainee needed, because a procedure is judged by
  whether it can be left to the trainee.
- Medsittning: 1–5 around the expected level for the stage of training. It judges a
  conversation, where "how much supervision" says little, and five steps keep it quick.
- EPA: the usual five entrustment levels.
Every item on a scale may be left unassessed (``ej_observerat`` / ``kan_ej_bedoma``),
but a form where nothing at all was assessed is rejected.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from stprogram.forms import EMPTY_CHOICE_LABEL, CalendarDateField

Method = Assessment.Method
Choices = list[tuple[str, Any]]

NOT_OBSERVED = "ej_observerat"
CANNOT_ASSESS = "kan_ej_bedoma"
UNASSESSED = frozenset({NOT_OBSERVED, CANNOT_ASSESS})
MIN_RATERS = 6
MIN_OTHER_PROFESSIONS = 2

OFF_SCALE = _("”%(value)s” finns inte på skalan. Välj ett av värdena i listan.")
INVALID_CHOICE = _("”%(value)s” är inte ett giltigt val. Välj ett av alternativen i listan.")


# --- Shared building blocks (also used by supervision.yearly) -------------------------


class PastDateField(CalendarDateField):
    """A calendar date that has already happened; today is allowed."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_error_messages = {"future": _("Datumet kan inte ligga i framtiden.")}

    def validate(self, value: datetime.date | None) -> None:
        # "In the future" says more than "after 2100", so it is checked first.
        if value and value > timezone.localdate():
            raise ValidationError(self.error_messages["future"], code="future")
        super().validate(value)


class RecordForm(forms.Form):
    """A form saved as JSON in ``Assessment.data`` or ``YearlyRecord.data``."""

    def json_data(self) -> dict[str, Any]:
        """The cleaned values, with dates as ISO strings, ready to be saved as JSON."""
        if not self.is_valid():
            raise ValueError("json_data() needs a valid form.")
        return {name: _jsonable(value) for name, value in self.cleaned_data.items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def text_field(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    """A free-text answer of a few sentences."""
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def line_field(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    """A one-line answer such as a name or a short description."""
    return forms.CharField(label=label, required=required, help_text=help_text, max_length=300)


def choice_field(
    label: str,
    choices: Choices,
    *,
    required: bool = True,
    help_text: str = "",
    invalid: str = INVALID_CHOICE,
) -> forms.ChoiceField:
    """A drop-down that starts empty, so an unanswered question is never saved as an answer."""
    return forms.ChoiceField(
        label=label,
        choices=[("", EMPTY_CHOICE_LABEL), *choices],
        required=required,
        help_text=help_text,
        error_messages={"invalid_choice": invalid},
    )


def rating_field(label: str, scale: Choices) -> forms.ChoiceField:
    """One item rated on a scale; "not observed" is one of the scale's choices."""
    return choice_field(label, scale, invalid=OFF_SCALE)


def minutes_field(label: str) -> forms.IntegerField:
    """A whole number of minutes, 0–240."""
    message = _("Ange ett antal minuter mellan 0 och 240.")
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=240,
        error_messages={"min_value": message, "max_value": message},
    )


def summarise(form_class: type[forms.Form], data: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, display value) rows for saved data, in form order; empty answers are left out."""
    rows = []
    for name, field in form_class.base_fields.items():
        value = data.get(name)
        if value is None or value == "" or value == []:
            continue
        rows.append((str(field.label), _display(field, value)))
    return rows


def _display(field: forms.Field, value: Any) -> str:
    if isinstance(field, forms.BooleanField):
        return gettext("Ja") if value else gettext("Nej")
    if isinstance(field, forms.ChoiceField):
        labels = dict(field.choices)
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(v, v)) for v in values)
    return str(value)


# --- Scales ---------------------------------------------------------------------------


def _band(values: Iterable[int], meaning: str) -> Choices:
    return [(str(n), format_lazy("{} – {}", n, meaning)) for n in values]


BELOW = _("under förväntad nivå")
EXPECTED = _("förväntad nivå")
ABOVE = _("över förväntad nivå")
NOT_OBSERVED_CHOICE = (NOT_OBSERVED, _("Ej observerat"))

NINE_POINT: Choices = [
    *_band(range(1, 4), BELOW),
    *_band(range(4, 7), EXPECTED),
    *_band(range(7, 10), ABOVE),
    NOT_OBSERVED_CHOICE,
]
SIX_POINT_VALUES: Choices = [
    *_band(range(1, 3), BELOW),
    *_band([3], _("gränsfall")),
    *_band([4], EXPECTED),
    *_band(range(5, 7), ABOVE),
]
SIX_POINT: Choices = [*SIX_POINT_VALUES, NOT_OBSERVED_CHOICE]
SIX_POINT_RATER: Choices = [*SIX_POINT_VALUES, (CANNOT_ASSESS, _("Kan ej bedöma"))]
FIVE_POINT: Choices = [
    *_band([1], _("klart under förväntad nivå")),
    *_band([2], BELOW),
    *_band([3], EXPECTED),
    *_band([4], ABOVE),
    *_band([5], _("klart över förväntad nivå")),
    NOT_OBSERVED_CHOICE,
]
SUPERVISION_LEVELS: Choices = [
    ("behöver_direkt_handledning", _("Behöver direkt handledning")),
    ("behöver_handledning_tillgänglig", _("Behöver handledare tillgänglig")),
    ("självständig", _("Självständig")),
]
SUPERVISION_SCALE: Choices = [*SUPERVISION_LEVELS, NOT_OBSERVED_CHOICE]
ENTRUSTMENT_LEVELS: Choices = [
    ("1", _("1 – observerar, utför inte själv")),
    ("2", _("2 – utför under direkt handledning")),
    ("3", _("3 – utför med handledare snabbt tillgänglig")),
    ("4", _("4 – utför självständigt med handledning på avstånd")),
    ("5", _("5 – kan handleda andra")),
]
COMPLEXITY: Choices = [("låg", _("Låg")), ("medel", _("Medel")), ("hög", _("Hög"))]
PROFESSIONS: Choices = [
    ("läkare", _("Läkare")),
    ("sjuksköterska", _("Sjuksköterska")),
    ("undersköterska", _("Undersköterska")),
    ("medicinsk_sekreterare", _("Medicinsk sekreterare")),
    ("fysioterapeut", _("Fysioterapeut")),
    ("arbetsterapeut", _("Arbetsterapeut")),
    ("psykolog", _("Psykolog")),
    ("kurator", _("Kurator")),
    ("annan", _("Annan yrkesgrupp")),
]


# --- Form bases -----------------------------------------------------------------------


class AssessmentForm(RecordForm):
    """What every instrument records: the day it was performed."""

    performed_on = PastDateField(label=_("Datum för bedömningen"))


class RatedForm(AssessmentForm):
    """An instrument with items on a scale; at least one item must actually be assessed."""

    rated_fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        ratings = [data.get(name) for name in self.rated_fields]
        if ratings and all(r in UNASSESSED for r in ratings):
            raise ValidationError(
                _("Minst en punkt måste bedömas; alla kan inte vara ”ej observerat”."),
                code="nothing_assessed",
            )
        return data


def _not_before(form: forms.Form, later: str, earlier: str, message: str) -> None:
    """Adds ``message`` to ``later`` when that date comes before ``earlier``."""
    first, second = form.cleaned_data.get(earlier), form.cleaned_data.get(later)
    if first and second and second < first:
        form.add_error(later, message)


def _went_well() -> forms.CharField:
    return text_field(_("Vad gick bra"))


def _to_improve() -> forms.CharField:
    return text_field(_("Vad kan förbättras"))


def _agreed_action() -> forms.CharField:
    return text_field(_("Överenskommen åtgärd"), required=False)


# --- The instruments ------------------------------------------------------------------


class MiniCexForm(RatedForm):
    """Mini-CEX: an observed clinical encounter."""

    rated_fields = (
        "history_taking",
        "physical_examination",
        "professionalism",
        "clinical_judgement",
        "communication",
        "organisation",
        "overall",
    )

    setting = line_field(
        _("Miljö"), help_text=_("T.ex. mottagning, vårdavdelning, akutmottagning, hembesök.")
    )
    patient_problem = line_field(_("Patientens problem eller diagnos"))
    focus = choice_field(
        _("Fokus"),
        [
            ("anamnes", _("Anamnes")),
            ("undersökning", _("Undersökning")),
            ("diagnostik", _("Diagnostik")),
            ("behandling", _("Behandling")),
            ("rådgivning", _("Rådgivning")),
        ],
    )
    complexity = choice_field(_("Svårighetsgrad"), COMPLEXITY)
    history_taking = rating_field(_("Anamnes"), NINE_POINT)
    physical_examination = rating_field(_("Undersökning"), NINE_POINT)
    professionalism = rating_field(_("Professionellt förhållningssätt"), NINE_POINT)
    clinical_judgement = rating_field(_("Klinisk bedömning"), NINE_POINT)
    communication = rating_field(_("Kommunikation och rådgivning"), NINE_POINT)
    organisation = rating_field(_("Organisation och effektivitet"), NINE_POINT)
    overall = rating_field(_("Sammantagen klinisk kompetens"), NINE_POINT)
    observation_minutes = minutes_field(_("Tid för observation (minuter)"))
    feedback_minutes = minutes_field(_("Tid för återkoppling (minuter)"))
    went_well = _went_well()
    to_improve = _to_improve()
    agreed_action = _agreed_action()


class DopsForm(RatedForm):
    """DOPS: an observed procedure, each step rated by the supervision it needed."""

    rated_fields = (
        "indication",
        "consent",
        "preparation",
        "technical_skill",
        "asepsis",
        "seeks_help",
        "aftercare",
        "communication",
        "professionalism",
    )

    procedure = line_field(_("Ingrepp eller procedur"))
    indication = rating_field(_("Förstår indikation, anatomi och teknik"), SUPERVISION_SCALE)
    consent = rating_field(_("Inhämtar informerat samtycke"), SUPERVISION_SCALE)
    preparation = rating_field(_("Förberedelser inför ingreppet"), SUPERVISION_SCALE)
    technical_skill = rating_field(_("Teknisk färdighet"), SUPERVISION_SCALE)
    asepsis = rating_field(_("Aseptisk teknik"), SUPERVISION_SCALE)
    seeks_help = rating_field(_("Söker hjälp vid behov"), SUPERVISION_SCALE)
    aftercare = rating_field(_("Eftervård och ordinationer"), SUPERVISION_SCALE)
    communication = rating_field(_("Kommunikation med patienten"), SUPERVISION_SCALE)
    professionalism = rating_field(_("Professionellt förhållningssätt"), SUPERVISION_SCALE)
    overall = choice_field(_("Sammantagen självständighet"), SUPERVISION_LEVELS)
    went_well = _went_well()
    to_improve = _to_improve()
    agreed_action = _agreed_action()


class CbdForm(RatedForm):
    """CBD: a case-based discussion of one or two records the trainee wrote."""

    rated_fields = (
        "record_keeping",
        "clinical_assessment",
        "investigation",
        "treatment",
        "follow_up",
        "professionalism",
        "overall",
    )

    record_1 = line_field(_("Journal 1"), help_text=_("Kort beskrivning av patientfallet."))
    record_2 = line_field(_("Journal 2"), required=False)
    record_keeping = rating_field(_("Journalföring"), SIX_POINT)
    clinical_assessment = rating_field(_("Klinisk bedömning"), SIX_POINT)
    investigation = rating_field(_("Utredning och remittering"), SIX_POINT)
    treatment = rating_field(_("Behandling"), SIX_POINT)
    follow_up = rating_field(_("Uppföljning och fortsatt planering"), SIX_POINT)
    professionalism = rating_field(_("Professionellt förhållningssätt"), SIX_POINT)
    overall = rating_field(_("Sammantagen klinisk bedömning"), SIX_POINT)
    went_well = _went_well()
    to_improve = _to_improve()
    agreed_action = _agreed_action()


class MedsittningForm(RatedForm):
    """Medsittning: sitting in on a conversation with a patient or a relative."""

    rated_fields = ("communication", "patient_contact", "medical_competence")

    situation = choice_field(
        _("Situation"),
        [("patientsamtal", _("Patientsamtal")), ("anhörigsamtal", _("Anhörigsamtal"))],
    )
    description = line_field(_("Kort beskrivning av samtalet"), required=False)
    communication = rating_field(_("Kommunikation"), FIVE_POINT)
    patient_contact = rating_field(_("Patientkontakt"), FIVE_POINT)
    medical_competence = rating_field(_("Medicinsk kompetens"), FIVE_POINT)
    went_well = _went_well()
    to_improve = _to_improve()
    agreed_action = _agreed_action()


class RaterForm(RatedForm):
    """One rater's answers in a 360° assessment (Sheffield peer review)."""

    rated_fields = (
        "clinical_care",
        "patient_communication",
        "teamwork",
        "professionalism",
        "reliability",
    )

    profession = choice_field(_("Ditt yrke"), PROFESSIONS)
    relationship = line_field(
        _("Hur du arbetar med ST-läkaren"),
        required=False,
        help_text=_("T.ex. samma avdelning, jourkollega, sekreterare på mottagningen."),
    )
    clinical_care = rating_field(_("Medicinskt omhändertagande"), SIX_POINT_RATER)
    patient_communication = rating_field(
        _("Kommunikation med patienter och närstående"), SIX_POINT_RATER
    )
    teamwork = rating_field(_("Samarbete i team"), SIX_POINT_RATER)
    professionalism = rating_field(_("Professionellt förhållningssätt"), SIX_POINT_RATER)
    reliability = rating_field(_("Pålitlighet"), SIX_POINT_RATER)
    strengths = text_field(_("Styrkor"), required=False)
    improvements = text_field(_("Förbättringsområden"), required=False)


class MultiRaterForm(AssessmentForm):
    """The supervisor's compilation of a 360° assessment, fed back to the trainee."""

    rater_count = forms.IntegerField(
        label=_("Antal bedömare som svarat"),
        min_value=1,
        max_value=100,
        help_text=_("Minst 6 bedömare ska ha tillfrågats, varav minst 2 med annat yrke."),
        error_messages={
            "min_value": _("Ange hur många bedömare som svarat (minst 1)."),
            "max_value": _("Högst 100 bedömare."),
        },
    )
    strengths = text_field(_("Sammanfattning av styrkor"))
    improvements = text_field(_("Förbättringsområden"))
    self_rating = text_field(_("ST-läkarens självskattning, sammanfattning"))
    feedback_on = PastDateField(label=_("Datum för återkopplingssamtal"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _not_before(
            self,
            "feedback_on",
            "performed_on",
            _("Återkopplingen kan inte ha skett före sammanställningen."),
        )
        return data


class ColloquiumForm(AssessmentForm):
    """Specialistkollegium: the specialists' joint view, fed back through the supervisor."""

    participants = text_field(
        _("Deltagare"),
        help_text=_(
            "T.ex. huvudhandledare, verksamhetschef, studierektor och övriga specialister."
        ),
    )
    strengths = text_field(_("Styrkor"))
    improvements = text_field(_("Förbättringsområden"))
    competence_needs = text_field(_("Kompetensbehov och hur de kan uppnås"), required=False)
    self_assessment = text_field(_("ST-läkarens självskattning"), required=False)
    feedback = text_field(_("Återkoppling till ST-läkaren (hur och när)"), required=False)
    feedback_on = PastDateField(label=_("Datum för återkoppling"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _not_before(
            self,
            "feedback_on",
            "performed_on",
            _("Återkopplingen kan inte ha skett före kollegiet."),
        )
        return data


class EpaForm(AssessmentForm):
    """EPA: a unit of work entrusted to the trainee at a level of supervision."""

    activity = line_field(_("Aktivitet"))
    entrustment = choice_field(_("Anförtroendenivå"), ENTRUSTMENT_LEVELS)
    justification = text_field(_("Motivering"))
    next_step = text_field(_("Nästa steg"), required=False)


class MittIStForm(AssessmentForm):
    """Mitt i ST (general practice): an external mid-ST assessment by another region."""

    assessor_unit = line_field(
        _("Bedömarens region och enhet"),
        help_text=_("Bedömaren kommer från en annan region."),
    )
    portfolio_reviewed = forms.BooleanField(
        label=_("Portföljen granskades före besöket"), required=False
    )
    practice_day = PastDateField(label=_("Datum för observerad arbetsdag"))
    strengths = text_field(_("Styrkor"))
    development_areas = text_field(_("Utvecklingsområden"))
    recommendations = text_field(_("Rekommendationer"), required=False)
    overall = text_field(_("Sammanfattande bedömning"))


# --- Registry -------------------------------------------------------------------------


@dataclass(frozen=True)
class Instrument:
    """An assessment method with its assessor's form."""

    method: str
    label: str
    form_class: type[forms.Form]

    def summary(self, data: dict[str, Any]) -> list[tuple[str, str]]:
        """(label, display value) rows for a saved ``Assessment.data``, in form order."""
        return summarise(self.form_class, data)


_FORMS: dict[str, type[forms.Form]] = {
    Method.MINI_CEX: MiniCexForm,
    Method.DOPS: DopsForm,
    Method.CBD: CbdForm,
    Method.MEDSITTNING: MedsittningForm,
    Method.MULTI_RATER: MultiRaterForm,
    Method.RATER: RaterForm,
    Method.COLLOQUIUM: ColloquiumForm,
    Method.EPA: EpaForm,
    Method.MITT_I_ST: MittIStForm,
}

INSTRUMENTS: dict[str, Instrument] = {
    str(method): Instrument(str(method), Method(method).label, form_class)
    for method, form_class in _FORMS.items()
}


def instrument(method: str) -> Instrument:
    """The instrument for an ``Assessment.Method`` value; ``KeyError`` if there is none."""
    return INSTRUMENTS[method]


# --- 360° raters ----------------------------------------------------------------------


def is_physician(profession: str) -> bool:
    """Whether a profession counts as "läkare" (överläkare, ST-läkare … but not tandläkare)."""
    value = profession.strip().casefold()
    return value.endswith("läkare") and not value.endswith("tandläkare")


def validate_raters(raters: list[dict[str, str]]) -> list[str]:
    """Swedish error messages for the raters picked for a 360° assessment; empty when valid.

    At least six raters, at least two of them from another profession than läkare,
    and no e-mail address twice.
    """
    errors = _incomplete_raters(raters)
    if len(raters) < MIN_RATERS:
        errors.append(
            gettext("Välj minst %(min)d bedömare (nu %(count)d).")
            % {"min": MIN_RATERS, "count": len(raters)}
        )
    others = sum(
        1 for r in raters if r.get("profession", "").strip() and not is_physician(r["profession"])
    )
    if others < MIN_OTHER_PROFESSIONS:
        errors.append(
            gettext("Minst %(min)d bedömare ska ha ett annat yrke än läkare (nu %(count)d).")
            % {"min": MIN_OTHER_PROFESSIONS, "count": others}
        )
    return errors + _duplicate_emails(raters)


def _incomplete_raters(raters: list[dict[str, str]]) -> list[str]:
    errors = []
    for number, rater in enumerate(raters, start=1):
        if not all(rater.get(key, "").strip() for key in ("name", "email", "profession")):
            errors.append(
                gettext("Bedömare %(n)d saknar namn, e-postadress eller yrke.") % {"n": number}
            )
            continue
        try:
            validate_email(rater["email"].strip())
        except ValidationError:
            errors.append(gettext("Bedömare %(n)d har en ogiltig e-postadress.") % {"n": number})
    return errors


def _duplicate_emails(raters: list[dict[str, str]]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for rater in raters:
        email = rater.get("email", "").strip().casefold()
        if email and email in seen and email not in repeated:
            repeated.append(email)
        seen.add(email)
    return [
        gettext("E-postadressen %(email)s förekommer mer än en gång.") % {"email": email}
        for email in repeated
    ]
