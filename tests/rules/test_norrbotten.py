"""Region Norrbotten, 001_6c26e9e13ad81653.txt: worked cases reasoned from the source."""

from __future__ import annotations

from tests.rules.conftest import d, entries, ev, one, rotation, supervisor, trainee, unit

R = "norrbotten"


def _meetings(*days: str) -> list:
    return [ev("supervision", day, minutes=45) for day in days]


def test_six_supervision_meetings_per_training_year_handledare() -> None:
    """Handledare: "Handledarsamtal ska genomföras ... minst 6 gånger per år"."""
    five = _meetings("2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01", "2025-06-01")
    sixth_on_last_day = ev("supervision", "2026-01-09")
    first_of_year_two = ev("supervision", "2026-01-10")
    portfolio = trainee(R, "2025-01-10", *five, sixth_on_last_day, first_of_year_two)
    year1, year2 = entries(portfolio, "2026-02-01", "supervision")
    assert (year1.count, year1.required, year1.status, year1.done_on) == (
        6,
        6,
        "done",
        d("2026-01-09"),
    )
    assert (year2.count, year2.status, year2.due) == (1, "open", d("2027-01-09"))
    short = trainee(R, "2025-01-10", *five, first_of_year_two)
    assert one(short, "2026-02-01", "supervision", period=1).status == "overdue"


def test_four_assessments_a_year_kompetensbedomning() -> None:
    """Kompetensbedömning: "ska bedömas minst 4 gånger årligen"."""
    days = ("2025-03-01", "2025-05-01", "2025-08-01", "2025-11-01")
    portfolio = trainee(R, "2025-01-10", *(ev("assessment", day) for day in days))
    year1 = one(portfolio, "2025-12-01", "assessments", period=1)
    assert (year1.strength, year1.required, year1.status, year1.done_on) == (
        "must",
        4,
        "done",
        d("2025-11-01"),
    )
    assert one(portfolio, "2025-10-01", "assessments", period=1).status == "open"


def test_contract_and_plan_have_no_deadline() -> None:
    """Övergripande mål / Ansvarsfördelning: required, but the source gives no time."""
    nothing = trainee(R, "2020-01-10")
    contract = one(nothing, "2026-01-01", "contract")
    assert (contract.due, contract.status) == (None, "open")
    assert one(nothing, "2026-01-01", "iup").status == "open"
    signed = trainee(R, "2020-01-10", ev("contract_signed", "2023-05-05"))
    assert one(signed, "2026-01-01", "contract").status == "done"


def test_study_director_meeting_every_six_months_studierektor() -> None:
    """Studierektor: "bör ha träffar ... minst en gång per halvår" (from start, then latest)."""
    portfolio = trainee(R, "2025-08-31")
    first = one(portfolio, "2026-02-28", "studierektor_followup")
    assert (first.strength, first.due, first.status) == ("should", d("2026-02-28"), "open")
    assert one(portfolio, "2026-03-01", "studierektor_followup").status == "overdue"
    met = trainee(R, "2025-08-31", ev("studierektor_followup", "2026-02-20"))
    assert one(met, "2026-03-01", "studierektor_followup").due == d("2026-08-20")


def test_basic_supervisor_training_every_ten_years_handledare() -> None:
    """Handledare: "grundläggande handledarutbildning minst vart 10:e år"."""
    old = supervisor(R, ev("supervisor_training_basic", "2016-03-01"))
    basic = one(old, "2026-03-02", "supervisor_training")
    assert (basic.subject, basic.due, basic.status) == ("supervisor", d("2026-03-01"), "overdue")
    renewed = supervisor(
        R,
        ev("supervisor_training_basic", "2016-03-01"),
        ev("supervisor_training_basic", "2026-01-15"),
    )
    assert one(renewed, "2026-03-02", "supervisor_training").due == d("2036-01-15")


def test_supplementary_training_every_three_years_handledare() -> None:
    """Handledare: "kompletterande utbildningar ... minst vart 3:e år".

    The spec counts from the latest basic or supplementary training.
    """
    portfolio = supervisor(
        R,
        ev("supervisor_training_basic", "2018-05-01"),
        ev("supervisor_training_supplementary", "2023-04-01"),
    )
    supplementary = one(portfolio, "2026-03-01", "supervisor_training_supplementary")
    assert (supplementary.due, supplementary.status) == (d("2026-04-01"), "open")
    assert one(portfolio, "2026-04-02", "supervisor_training_supplementary").status == "overdue"
    after_basic = supervisor(
        R,
        ev("supervisor_training_supplementary", "2023-04-01"),
        ev("supervisor_training_basic", "2025-01-15"),
    )
    assert one(after_basic, "2026-03-01", "supervisor_training_supplementary").due == d(
        "2028-01-15"
    )


def test_supervisor_without_any_training_has_no_due_date() -> None:
    """Nothing to count from: the entry is open without a due date."""
    none = one(supervisor(R), "2026-01-01", "supervisor_training")
    assert (none.due, none.status) == (None, "open")


def test_leap_day_start_training_years() -> None:
    """Training years from 2024-02-29 are clamped to Feb 28 except in leap years."""
    portfolio = trainee(R, "2024-02-29", ev("development_talk", "2025-02-28"))
    years = entries(portfolio, "2028-03-01", "development_talk")
    assert [y.due for y in years] == [
        d("2025-02-27"),
        d("2026-02-27"),
        d("2027-02-27"),
        d("2028-02-28"),
        d("2029-02-27"),
    ]
    assert [y.count for y in years] == [0, 1, 0, 0, 0]


def test_named_supervisor_must_and_rotation_evaluation_should_sidohandledare() -> None:
    """Sidohandledare: named supervisor "ska"; the written evaluation "bör"."""
    portfolio = trainee(R, "2025-01-10", rotation("2025-09-01", "2025-11-30"))
    assert one(portfolio, "2026-01-15", "rotation_supervisor").strength == "must"
    feedback = one(portfolio, "2026-01-15", "rotation_feedback")
    assert (feedback.strength, feedback.due, feedback.status) == (
        "should",
        d("2025-12-30"),
        "overdue",
    )


def test_external_inspection_every_five_years_externa_inspektioner() -> None:
    """Externa inspektioner: "minst vart 5:e år"."""
    inspected = unit(R, "2015-01-01", ev("external_inspection", "2022-09-15"))
    assert one(inspected, "2026-01-01", "external_inspection").due == d("2027-09-15")
    assert entries(inspected, "2026-01-01", "self_assessment") == []
