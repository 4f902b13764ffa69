"""Region Jönköping, 003_9a0985358a5453c7.txt: worked cases reasoned from the source."""

from __future__ import annotations

from tests.rules.conftest import bt_trainee, codes, d, entries, ev, one, rotation, trainee

R = "jonkoping"


def test_bt_plan_within_one_month_of_bt_start_iup() -> None:
    """Individuellt utbildningsprogram: BT plan "inom 1 månad efter start BT-program"."""
    late = bt_trainee(R, "2027-01-31", "2027-12-31", ev("iup_approved", "2027-03-01", phase="BT"))
    plan = one(late, "2027-04-01", "iup_bt")
    assert (plan.due, plan.status, plan.done_on) == (d("2027-02-28"), "late", d("2027-03-01"))
    leap = bt_trainee(R, "2028-01-31", "2028-12-31")
    assert one(leap, "2028-03-01", "iup_bt").due == d("2028-02-29")


def test_no_bt_plan_without_bt() -> None:
    """SOSFS 2015:8 has no BT, so no BT plan is due."""
    assert entries(trainee(R, "2027-01-31"), "2027-04-01", "iup_bt") == []


def test_st_plan_within_six_months_iup() -> None:
    """Individuellt utbildningsprogram: ST plan "inom 6 månader efter start ST".

    Without BT, ST starts with the programme: Aug 31 + 6 months = Feb 28.
    """
    portfolio = trainee(R, "2026-08-31")
    plan = one(portfolio, "2027-03-01", "iup")
    assert (plan.due, plan.status) == (d("2027-02-28"), "overdue")
    approved = trainee(R, "2026-08-31", ev("iup_approved", "2027-02-28"))
    assert one(approved, "2027-03-01", "iup").status == "done"


def test_with_bt_the_st_plan_counts_from_the_st_start_iup() -> None:
    """The source separates "start BT-program" from "start ST" (JON-14): after BT ends.

    BT 2026-08-31..2027-08-30: ST starts 2027-08-31, the ST plan is due 2028-02-29,
    so an ST plan drawn up once BT has ended is on time, not late.
    """
    portfolio = bt_trainee(
        R,
        "2026-08-31",
        "2027-08-30",
        ev("iup_approved", "2026-09-10", phase="BT"),
        ev("iup_approved", "2027-10-01"),
    )
    plan = one(portfolio, "2027-12-01", "iup")
    assert (plan.due, plan.status) == (d("2028-02-29"), "done")
    # Other regions keep the programme start as the anchor (the spec's default).
    north = bt_trainee("norrbotten", "2026-08-31", "2027-08-30")
    assert entries(north, "2027-12-01", "iup")[0].due is None


def test_assessments_recommended_four_a_year_utvardering() -> None:
    """Utvärdering av ST-läkarens kompetens: introduced by "rekommenderas", so should."""
    assessments = one(trainee(R, "2026-01-01"), "2026-06-01", "assessments", period=1)
    assert (assessments.strength, assessments.required, assessments.status) == ("should", 4, "open")


def test_contract_is_left_out_because_it_only_may_be_signed() -> None:
    """Dokumentation, ST-kontrakt: "kan undertecknas" → no rule."""
    portfolio = trainee(R, "2026-01-01", ev("contract_signed", "2026-01-05"))
    assert "contract" not in codes(portfolio, "2026-06-01")


def test_colloquium_and_development_talk_yearly_must() -> None:
    """ST-studierektor "Ansvarar för att genomföra specialistkollegium årligen"; VC the talk."""
    portfolio = trainee(R, "2026-01-01", ev("development_talk", "2026-11-01"))
    colloquium = one(portfolio, "2027-01-01", "specialist_colloquium", period=1)
    talk = one(portfolio, "2027-01-01", "development_talk", period=1)
    assert (colloquium.strength, colloquium.status) == ("must", "overdue")
    assert (talk.strength, talk.status) == ("must", "done")


def test_rotation_supervision_must_and_evaluation_should() -> None:
    """Handledning under ST: supervision at the receiving unit; evaluation recommended."""
    portfolio = trainee(
        R, "2026-01-01", rotation("2026-03-01", "2026-05-31", supervisor_named=True)
    )
    assert one(portfolio, "2026-07-01", "rotation_supervisor").status == "done"
    assert one(portfolio, "2026-07-01", "rotation_feedback").strength == "should"
