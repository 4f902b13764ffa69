"""The assessor's forms: what they accept, what they reject and how a saved one reads."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import timezone

from assessments.instruments import (
    INSTRUMENTS,
    NOT_OBSERVED,
    PastDateField,
    instrument,
    validate_raters,
)
from assessments.models import Assessment


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def sample_value(name: str, field: forms.Field) -> Any:
    """A valid answer for any field, built from the field itself."""
    if isinstance(field, forms.ChoiceField):
        first = next(value for value, _label in field.choices if value != "")
        return [first] if isinstance(field, forms.MultipleChoiceField) else first
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.DateField):
        return yesterday().isoformat()
    if isinstance(field, forms.IntegerField):
        return str(max(field.min_value or 0, 6))
    return f"Svar på {name}"


def sample_data(form_class: type[forms.Form]) -> dict[str, Any]:
    """A complete, valid submission for a form."""
    return {name: sample_value(name, f) for name, f in form_class.base_fields.items()}


def fields_where(forms_by_key: dict[str, Any], test: Any) -> list[tuple[str, str]]:
    """(key, field name) for every field of every form that passes ``test``."""
    return [
        (key, name)
        for key, entry in forms_by_key.items()
        for name, field in entry.form_class.base_fields.items()
        if test(field)
    ]


def is_single_choice(field: forms.Field) -> bool:
    return isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField)


METHODS = sorted(INSTRUMENTS)
REQUIRED = fields_where(INSTRUMENTS, lambda f: f.required)
CHOICES = fields_where(INSTRUMENTS, is_single_choice)
INTEGERS = fields_where(INSTRUMENTS, lambda f: isinstance(f, forms.IntegerField))
PAST_DATES = fields_where(INSTRUMENTS, lambda f: isinstance(f, PastDateField))


def test_every_method_has_an_instrument():
    assert set(INSTRUMENTS) == set(Assessment.Method.values)
    for method, entry in INSTRUMENTS.items():
        assert entry.method == method
        assert str(entry.label) == Assessment.Method(method).label


def test_an_unknown_method_is_a_key_error():
    assert instrument("dops").form_class is INSTRUMENTS["dops"].form_class
    with pytest.raises(KeyError):
        instrument("okänd")


@pytest.mark.parametrize("method", METHODS)
def test_every_form_starts_with_a_required_performed_on(method):
    fields = INSTRUMENTS[method].form_class.base_fields
    assert next(iter(fields)) == "performed_on"
    assert fields["performed_on"].required


@pytest.mark.parametrize("method", METHODS)
def test_a_complete_submission_is_valid_and_saves_as_json(method):
    form = INSTRUMENTS[method].form_class(sample_data(INSTRUMENTS[method].form_class))
    assert form.is_valid(), form.errors
    data = form.json_data()
    assert json.loads(json.dumps(data)) == data
    assert data["performed_on"] == yesterday().isoformat()


def test_json_data_refuses_an_invalid_form():
    form = INSTRUMENTS["epa"].form_class({})
    with pytest.raises(ValueError, match="valid"):
        form.json_data()


@pytest.mark.parametrize(("method", "name"), REQUIRED)
def test_a_missing_required_answer_is_rejected(method, name):
    form_class = INSTRUMENTS[method].form_class
    data = sample_data(form_class)
    del data[name]
    form = form_class(data)
    assert not form.is_valid()
    assert name in form.errors


@pytest.mark.parametrize(("method", "name"), CHOICES)
def test_a_value_off_the_scale_is_rejected(method, name):
    form_class = INSTRUMENTS[method].form_class
    form = form_class({**sample_data(form_class), name: "99"})
    assert not form.is_valid()
    assert "”99”" in form.errors[name][0]


@pytest.mark.parametrize("value", ["0", "10", "9.5", "ej observerat"])
def test_mini_cex_accepts_only_one_to_nine_or_not_observed(value):
    form_class = INSTRUMENTS["mini-cex"].form_class
    form = form_class({**sample_data(form_class), "overall": value})
    assert form.errors["overall"] == [
        f"”{value}” finns inte på skalan. Välj ett av värdena i listan."
    ]


@pytest.mark.parametrize("value", ["1", "9", NOT_OBSERVED])
def test_mini_cex_accepts_the_ends_of_the_scale(value):
    form_class = INSTRUMENTS["mini-cex"].form_class
    assert form_class({**sample_data(form_class), "overall": value}).is_valid()


@pytest.mark.parametrize(("method", "name"), INTEGERS)
def test_a_number_outside_its_range_is_rejected(method, name):
    form_class = INSTRUMENTS[method].form_class
    field = form_class.base_fields[name]
    for value in (field.min_value - 1, field.max_value + 1):
        form = form_class({**sample_data(form_class), name: str(value)})
        assert name in form.errors, value


def test_negative_minutes_give_a_clear_message():
    form_class = INSTRUMENTS["mini-cex"].form_class
    form = form_class({**sample_data(form_class), "feedback_minutes": "-5"})
    assert form.errors["feedback_minutes"] == ["Ange ett antal minuter mellan 0 och 240."]


@pytest.mark.parametrize(("method", "name"), PAST_DATES)
def test_a_future_date_is_rejected(method, name):
    form_class = INSTRUMENTS[method].form_class
    form = form_class({**sample_data(form_class), name: tomorrow().isoformat()})
    assert form.errors[name] == ["Datumet kan inte ligga i framtiden."]


def test_today_is_not_the_future():
    form_class = INSTRUMENTS["epa"].form_class
    form = form_class({**sample_data(form_class), "performed_on": timezone.localdate()})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("method", "items", "unassessed"),
    [
        ("mini-cex", INSTRUMENTS["mini-cex"].form_class.rated_fields, NOT_OBSERVED),
        ("dops", INSTRUMENTS["dops"].form_class.rated_fields, NOT_OBSERVED),
        ("cbd", INSTRUMENTS["cbd"].form_class.rated_fields, NOT_OBSERVED),
        ("medsittning", INSTRUMENTS["medsittning"].form_class.rated_fields, NOT_OBSERVED),
        ("360-rater", INSTRUMENTS["360-rater"].form_class.rated_fields, "kan_ej_bedoma"),
    ],
)
def test_a_form_where_nothing_was_assessed_is_rejected(method, items, unassessed):
    form_class = INSTRUMENTS[method].form_class
    data = sample_data(form_class) | dict.fromkeys(items, unassessed)
    form = form_class(data)
    assert not form.is_valid()
    assert "Minst en punkt måste bedömas" in form.non_field_errors()[0]
    data[items[0]] = "2" if method != "dops" else "självständig"
    assert form_class(data).is_valid()


@pytest.mark.parametrize("method", ["360", "specialistkollegium"])
def test_feedback_cannot_come_before_the_assessment(method):
    form_class = INSTRUMENTS[method].form_class
    data = sample_data(form_class) | {
        "performed_on": yesterday().isoformat(),
        "feedback_on": (yesterday() - datetime.timedelta(days=1)).isoformat(),
    }
    form = form_class(data)
    assert "feedback_on" in form.errors


@pytest.mark.parametrize("method", METHODS)
def test_summary_lists_every_filled_answer_with_its_label_in_form_order(method):
    entry = INSTRUMENTS[method]
    form = entry.form_class(sample_data(entry.form_class))
    assert form.is_valid(), form.errors
    rows = entry.summary(form.json_data())
    fields = entry.form_class.base_fields
    assert [label for label, _value in rows] == [str(f.label) for f in fields.values()]
    for (label, value), (name, field) in zip(rows, fields.items(), strict=True):
        assert isinstance(label, str)
        assert isinstance(value, str)
        assert value
        if isinstance(field, forms.CharField):
            assert value == f"Svar på {name}"


def test_a_saved_mini_cex_reads_in_swedish():
    data = {
        "performed_on": "2025-03-04",
        "setting": "Akutmottagning",
        "focus": "diagnostik",
        "complexity": "hög",
        "history_taking": "7",
        "physical_examination": NOT_OBSERVED,
        "feedback_minutes": 0,
        "agreed_action": "",
        "went_well": "Strukturerad anamnes",
    }
    rows = instrument("mini-cex").summary(data)
    assert rows == [
        ("Datum för bedömningen", "2025-03-04"),
        ("Miljö", "Akutmottagning"),
        ("Fokus", "Diagnostik"),
        ("Svårighetsgrad", "Hög"),
        ("Anamnes", "7 – över förväntad nivå"),
        ("Undersökning", "Ej observerat"),
        ("Tid för återkoppling (minuter)", "0"),
        ("Vad gick bra", "Strukturerad anamnes"),
    ]


def test_a_saved_mitt_i_st_shows_an_unreviewed_portfolio_as_no():
    rows = dict(instrument("mitt-i-st").summary({"portfolio_reviewed": False}))
    assert rows == {"Portföljen granskades före besöket": "Nej"}


def test_a_saved_epa_shows_the_entrustment_level_meaning():
    rows = dict(instrument("epa").summary({"entrustment": "3", "unknown_key": "x"}))
    assert rows == {"Anförtroendenivå": "3 – utför med handledare snabbt tillgänglig"}


def test_the_summary_template_renders_a_definition_list():
    html = render_to_string(
        "assessments/_instrument_summary.html",
        {"rows": [("Aktivitet", "Ta emot\nnyinskriven patient")], "title": "EPA"},
    )
    assert '<dl class="facts" aria-label="EPA">' in html
    assert "<dt>Aktivitet</dt><dd>Ta emot<br>nyinskriven patient</dd>" in html


def test_the_summary_template_escapes_what_the_assessor_wrote():
    html = render_to_string(
        "assessments/_instrument_summary.html", {"rows": [("Styrkor", "<script>")]}
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_the_summary_template_renders_nothing_without_rows():
    assert render_to_string("assessments/_instrument_summary.html", {"rows": []}).strip() == ""


# --- 360° raters ----------------------------------------------------------------------


def raters(physicians: int, others: int) -> list[dict[str, str]]:
    professions = ["läkare"] * physicians + ["sjuksköterska"] * others
    return [
        {"name": f"Person {i}", "email": f"person{i}@region.test", "profession": p}
        for i, p in enumerate(professions)
    ]


def test_six_raters_with_two_other_professions_are_enough():
    assert validate_raters(raters(4, 2)) == []


def test_five_raters_are_too_few():
    assert validate_raters(raters(3, 2)) == ["Välj minst 6 bedömare (nu 5)."]


def test_six_raters_with_only_one_other_profession_are_not_enough():
    assert validate_raters(raters(5, 1)) == [
        "Minst 2 bedömare ska ha ett annat yrke än läkare (nu 1)."
    ]


@pytest.mark.parametrize("profession", ["Överläkare", "ST-läkare", " LÄKARE "])
def test_every_kind_of_physician_counts_as_a_physician(profession):
    picked = [*raters(5, 1), {"name": "X", "email": "x@region.test", "profession": profession}]
    assert validate_raters(picked) == ["Minst 2 bedömare ska ha ett annat yrke än läkare (nu 1)."]


def test_a_dentist_is_another_profession():
    picked = [*raters(4, 1), {"name": "X", "email": "x@region.test", "profession": "Tandläkare"}]
    assert validate_raters(picked) == []


def test_the_same_email_twice_is_rejected_whatever_the_case():
    picked = [
        *raters(4, 2),
        {"name": "Igen", "email": " Person0@Region.test ", "profession": "läkare"},
    ]
    assert validate_raters(picked) == [
        "E-postadressen person0@region.test förekommer mer än en gång."
    ]


def test_a_rater_without_email_or_with_a_bad_one_is_named():
    picked = raters(4, 2)
    picked[0]["email"] = ""
    picked[1]["email"] = "inte-en-adress"
    assert validate_raters(picked) == [
        "Bedömare 1 saknar namn, e-postadress eller yrke.",
        "Bedömare 2 har en ogiltig e-postadress.",
    ]
