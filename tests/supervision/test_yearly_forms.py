"""The yearly records' forms: what they accept, what they reject and how a saved one reads."""

from __future__ import annotations

import json
import re

import pytest
from django import forms
from django.utils import timezone

from assessments.instruments import PastDateField
from supervision.models import YearlyRecord
from supervision.yearly import YEARLY_FORMS, yearly_form
from tests.assessments.test_instruments import (
    fields_where,
    is_single_choice,
    sample_data,
    tomorrow,
    yesterday,
)

KINDS = sorted(YEARLY_FORMS)
REQUIRED = fields_where(YEARLY_FORMS, lambda f: f.required)
CHOICES = fields_where(YEARLY_FORMS, is_single_choice)
MULTIPLE = fields_where(YEARLY_FORMS, lambda f: isinstance(f, forms.MultipleChoiceField))
PAST_DATES = fields_where(YEARLY_FORMS, lambda f: isinstance(f, PastDateField))


def test_every_kind_has_a_form():
    assert set(YEARLY_FORMS) == set(YearlyRecord.Kind.values)
    for kind, entry in YEARLY_FORMS.items():
        assert entry.kind == kind
        assert str(entry.label) == YearlyRecord.Kind(kind).label


def test_an_unknown_kind_is_a_key_error():
    assert yearly_form("planning_meeting").kind == "planning_meeting"
    with pytest.raises(KeyError):
        yearly_form("okänd")


@pytest.mark.parametrize("kind", KINDS)
def test_every_form_cites_a_seed_file_and_section(kind):
    for citation in YEARLY_FORMS[kind].source.split("; "):
        assert re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt \S.*", citation)


@pytest.mark.parametrize("kind", KINDS)
def test_every_form_starts_with_a_required_date(kind):
    fields = YEARLY_FORMS[kind].form_class.base_fields
    assert next(iter(fields)) == "date"
    assert isinstance(fields["date"], PastDateField)
    assert fields["date"].required


@pytest.mark.parametrize("kind", KINDS)
def test_a_complete_submission_is_valid_and_saves_as_json(kind):
    form = YEARLY_FORMS[kind].form_class(sample_data(YEARLY_FORMS[kind].form_class))
    assert form.is_valid(), form.errors
    data = form.json_data()
    assert json.loads(json.dumps(data)) == data
    assert data["date"] == yesterday().isoformat()


@pytest.mark.parametrize(("kind", "name"), REQUIRED)
def test_a_missing_required_answer_is_rejected(kind, name):
    form_class = YEARLY_FORMS[kind].form_class
    data = sample_data(form_class)
    del data[name]
    form = form_class(data)
    assert not form.is_valid()
    assert name in form.errors


@pytest.mark.parametrize(("kind", "name"), CHOICES + MULTIPLE)
def test_a_value_outside_the_choices_is_rejected(kind, name):
    form_class = YEARLY_FORMS[kind].form_class
    field = form_class.base_fields[name]
    value = ["99"] if isinstance(field, forms.MultipleChoiceField) else "99"
    form = form_class({**sample_data(form_class), name: value})
    assert not form.is_valid()
    assert "99" in form.errors[name][0]


@pytest.mark.parametrize(("kind", "name"), PAST_DATES)
def test_a_future_date_is_rejected(kind, name):
    form_class = YEARLY_FORMS[kind].form_class
    form = form_class({**sample_data(form_class), name: tomorrow().isoformat()})
    assert form.errors[name] == ["Datumet kan inte ligga i framtiden."]


def test_the_next_followup_may_be_planned_ahead():
    form_class = yearly_form("studierektor_followup").form_class
    form = form_class({**sample_data(form_class), "next_followup": tomorrow().isoformat()})
    assert form.is_valid(), form.errors
    assert form.json_data()["next_followup"] == tomorrow().isoformat()


def test_a_planning_meeting_without_the_trainee_is_rejected():
    form_class = yearly_form("planning_meeting").form_class
    form = form_class({**sample_data(form_class), "participants": ["huvudhandledare", "chef"]})
    assert form.errors["participants"] == ["ST-läkaren ska delta i planeringsmötet."]


@pytest.mark.parametrize("kind", KINDS)
def test_summary_lists_every_filled_answer_with_its_label_in_form_order(kind):
    entry = YEARLY_FORMS[kind]
    form = entry.form_class(sample_data(entry.form_class))
    assert form.is_valid(), form.errors
    rows = entry.summary(form.json_data())
    fields = entry.form_class.base_fields
    assert [label for label, _value in rows] == [str(f.label) for f in fields.values()]
    for (_label, value), (name, field) in zip(rows, fields.items(), strict=True):
        assert isinstance(value, str)
        assert value
        if isinstance(field, forms.CharField):
            assert value == f"Svar på {name}"


def test_a_saved_planning_meeting_reads_in_swedish():
    data = {
        "date": timezone.localdate().isoformat(),
        "participants": ["st_läkare", "huvudhandledare", "utbildningssekreterare"],
        "participant_names": "",
        "plan": "BVC under år 2",
    }
    rows = yearly_form("planning_meeting").summary(data)
    assert rows == [
        ("Datum", data["date"]),
        ("Deltagare", "ST-läkare, Huvudhandledare, Utbildningssekreterare"),
        ("Grovplanering för ST-tiden", "BVC under år 2"),
    ]


def test_a_saved_annual_report_shows_yes_and_no():
    rows = dict(yearly_form("trainee_annual_report").summary({"with_supervisor": True}))
    assert rows == {"Rapporten är framtagen tillsammans med handledaren": "Ja"}
