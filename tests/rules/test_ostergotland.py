"""Region Östergötland, 002_9e78cac0a2d4eb6a.txt: worked cases reasoned from the source."""

from __future__ import annotations

from tests.rules.conftest import codes, d, entries, ev, one, supervisor, trainee, unit

R = "ostergotland"


def test_planning_meeting_after_about_three_months_introduktion() -> None:
    """Introduktion: "Efter ca 3 månaders tjänstgöring bokas ett planeringsmöte".

    Nov 30 + 3 months = Feb 28.
    """
    held = trainee(R, "2025-11-30", ev("planning_meeting", "2026-02-27"))
    meeting = one(held, "2026-03-01", "planning_meeting")
    assert (meeting.due, meeting.status) == (d("2026-02-28"), "done")
    assert one(trainee(R, "2025-11-30"), "2026-03-01", "planning_meeting").status == "overdue"


def test_plan_revised_twice_a_year_st_lakarens_ansvar() -> None:
    """ST-läkarens ansvar: "revidera utbildningsprogrammet 2 ggr/år".

    Oct 31 + 6 months = Apr 30.
    """
    approved = trainee(R, "2025-09-01", ev("iup_approved", "2025-10-31"))
    assert one(approved, "2026-01-01", "iup_revision").due == d("2026-04-30")
    revised = trainee(
        R, "2025-09-01", ev("iup_approved", "2025-10-31"), ev("iup_revised", "2026-04-15")
    )
    assert one(revised, "2026-05-01", "iup_revision").due == d("2026-10-15")


def test_four_assessments_and_one_colloquium_kompetensbedomning() -> None:
    """Kompetensbedömning: "Minst 4 stycken per år samt ett årligt specialistkollegium"."""
    portfolio = trainee(R, "2025-09-01", ev("specialist_colloquium", "2026-05-01"))
    assessments = one(portfolio, "2026-09-01", "assessments", period=1)
    colloquium = one(portfolio, "2026-09-01", "specialist_colloquium", period=1)
    assert (assessments.required, assessments.status) == (4, "overdue")
    assert (colloquium.required, colloquium.status, colloquium.strength) == (1, "done", "must")


def test_statement_and_checklist_before_yearly_follow_up_uppfoljning() -> None:
    """Uppföljning av ST-utbildningen: checklist per pair and a yearly supervisor statement."""
    portfolio = trainee(R, "2025-09-01", ev("supervisor_statement", "2026-04-01"))
    statement = one(portfolio, "2026-04-02", "supervisor_statement", period=1)
    checklist = one(portfolio, "2026-04-02", "trainee_annual_report", period=1)
    assert (statement.status, statement.done_on) == ("done", d("2026-04-01"))
    assert (checklist.status, checklist.due) == ("open", d("2026-08-31"))


def test_yearly_development_talk_chefens_ansvar() -> None:
    """Chefens ansvar: "kompetensutvecklingssamtal årligen"."""
    portfolio = trainee(R, "2025-09-01")
    assert one(portfolio, "2026-09-01", "development_talk", period=1).status == "overdue"


def test_no_contract_rule() -> None:
    """The source has no ST contract: no entry even if a contract exists."""
    portfolio = trainee(R, "2025-09-01", ev("contract_signed", "2025-09-10"))
    assert "contract" not in codes(portfolio, "2026-01-01")


def test_health_centre_reviews_uppfoljning() -> None:
    """SPUR "minst vart 5:e år" and yearly follow-up by the study director."""
    portfolio = unit(
        R,
        "2020-01-15",
        ev("external_inspection", "2022-06-01"),
        ev("self_assessment", "2025-09-01"),
    )
    inspection = one(portfolio, "2026-10-01", "external_inspection")
    follow_up = one(portfolio, "2026-10-01", "self_assessment")
    assert (inspection.due, inspection.status) == (d("2027-06-01"), "open")
    assert (follow_up.due, follow_up.status) == (d("2026-09-01"), "overdue")
    assert one(unit(R, "2026-01-15"), "2026-10-01", "self_assessment").due == d("2027-01-15")


def test_supervisor_training_every_five_years_should() -> None:
    """Huvudhandledarens ansvar: "exempelvis handledarutbildning var 5 år" (should).

    Any supervisor course restarts the five years: the source asks for training
    every five years, not for the basic course again (OST-36).
    """
    basic_only = supervisor(R, ev("supervisor_training_basic", "2020-05-01"))
    training = one(basic_only, "2025-05-02", "supervisor_training")
    assert (training.strength, training.due, training.status) == (
        "should",
        d("2025-05-01"),
        "overdue",
    )
    portfolio = supervisor(
        R,
        ev("supervisor_training_basic", "2020-05-01"),
        ev("supervisor_training_supplementary", "2024-05-01"),
    )
    training = one(portfolio, "2025-05-02", "supervisor_training")
    assert (training.due, training.status) == (d("2029-05-01"), "open")
    assert entries(portfolio, "2025-05-02", "supervisor_training_supplementary") == []
