"""Region Blekinge, 000_78535177efd85ec7.txt: worked cases reasoned from the source."""

from __future__ import annotations

from tests.rules.conftest import codes, d, entries, ev, one, rotation, supervisor, trainee, unit

R = "blekinge"


def test_contract_within_one_month_of_start_s2_1() -> None:
    """§2.1: "Kontraktet upprättas inom 1 månad efter anställning"."""
    portfolio = trainee(R, "2026-03-15", ev("contract_signed", "2026-04-15"))
    contract = one(portfolio, "2026-05-01", "contract")
    assert contract.strength == "must"
    assert contract.source == "000_78535177efd85ec7.txt §2.1"
    assert (contract.due, contract.status, contract.done_on) == (
        d("2026-04-15"),
        "done",
        d("2026-04-15"),
    )


def test_contract_due_is_clamped_at_month_end_s2_1() -> None:
    """§2.1, started Jan 31: one month later is Feb 28, so Mar 1 is late."""
    on_time = trainee(R, "2026-01-31", ev("contract_signed", "2026-02-28"))
    late = trainee(R, "2026-01-31", ev("contract_signed", "2026-03-01"))
    missing = trainee(R, "2026-01-31")
    assert one(on_time, "2026-03-10", "contract").status == "done"
    assert one(late, "2026-03-10", "contract").due == d("2026-02-28")
    assert one(late, "2026-03-10", "contract").status == "late"
    assert one(missing, "2026-02-28", "contract").status == "open"
    assert one(missing, "2026-03-01", "contract").status == "overdue"


def test_training_plan_within_six_months_s2_2() -> None:
    """§2.2: "Utbildningsplanen ska upprättas inom sex månader"; a BT plan is not it."""
    late = trainee(R, "2026-01-12", ev("iup_approved", "2026-07-13"))
    bt_only = trainee(R, "2026-01-12", ev("iup_approved", "2026-02-01", phase="BT"))
    assert one(late, "2026-08-01", "iup").due == d("2026-07-12")
    assert one(late, "2026-08-01", "iup").status == "late"
    assert one(bt_only, "2026-08-01", "iup").status == "overdue"


def test_plan_revised_at_least_yearly_after_the_latest_s2_2() -> None:
    """§2.2: "reviderar minst en gång per år"; no revision entry before a plan exists."""
    assert entries(trainee(R, "2026-01-12"), "2027-06-01", "iup_revision") == []
    portfolio = trainee(
        R, "2026-01-12", ev("iup_approved", "2026-05-20"), ev("iup_revised", "2027-04-01")
    )
    before = one(portfolio, "2027-03-01", "iup_revision")
    assert (before.due, before.status, before.done_on) == (d("2027-05-20"), "open", None)
    after = one(portfolio, "2027-06-01", "iup_revision")
    assert (after.due, after.status) == (d("2028-04-01"), "open")
    stale = trainee(R, "2026-01-12", ev("iup_approved", "2026-05-20"))
    assert one(stale, "2027-05-21", "iup_revision").status == "overdue"


def test_yearly_report_counts_per_training_year_s3_2() -> None:
    """§3.2: report "minst en gång per år"; Jan 11 is year 1's last day, Jan 12 year 2's first."""
    portfolio = trainee(
        R,
        "2026-01-12",
        ev("trainee_annual_report", "2027-01-11"),
        ev("trainee_annual_report", "2027-01-12"),
    )
    year1, year2 = entries(portfolio, "2027-02-01", "trainee_annual_report")
    assert (year1.period, year1.due, year1.status, year1.count, year1.required) == (
        1,
        d("2027-01-11"),
        "done",
        1,
        1,
    )
    assert (year2.period, year2.due, year2.done_on, year2.count) == (
        2,
        d("2028-01-11"),
        d("2027-01-12"),
        1,
    )
    missed = trainee(R, "2026-01-12", ev("trainee_annual_report", "2027-01-12"))
    assert one(missed, "2027-02-01", "trainee_annual_report", period=1).status == "overdue"


def test_yearly_development_talk_s3_4() -> None:
    """§3.4: "årliga utvecklingssamtal"; the first talk of the year is the one that fulfils it."""
    portfolio = trainee(
        R, "2025-09-01", ev("development_talk", "2025-10-01"), ev("development_talk", "2025-11-01")
    )
    year1, year2 = entries(portfolio, "2026-10-01", "development_talk")
    assert (year1.count, year1.done_on, year1.status) == (2, d("2025-10-01"), "done")
    assert (year2.due, year2.status, year2.count) == (d("2027-08-31"), "open", 0)


def test_contact_three_months_before_external_rotation_s3_2() -> None:
    """§3.2: "minst tre månader före tjänstgöring på extern arbetsplats ta kontakt"."""
    away = rotation("2027-02-01", "2027-04-30", external=True, registered=d("2026-06-01"))
    portfolio = trainee(R, "2026-01-12", away)
    # Not yet in the plan: nothing to remind of.
    assert entries(portfolio, "2026-05-31", "rotation_contact") == []
    # Known from the day it was registered: open (and reminded) before it falls due.
    ahead = one(portfolio, "2026-06-01", "rotation_contact")
    assert (ahead.due, ahead.status) == (d("2026-11-01"), "open")
    assert one(portfolio, "2026-10-31", "rotation_contact").status == "open"
    due_today = one(portfolio, "2026-11-01", "rotation_contact")
    assert (due_today.due, due_today.status, due_today.period) == (
        d("2026-11-01"),
        "open",
        d("2027-02-01"),
    )
    assert one(portfolio, "2026-11-02", "rotation_contact").status == "overdue"


def test_contact_late_done_or_not_yet_visible_s3_2() -> None:
    """§3.2: a contact after the due date is late; one dated after ``on`` does not count yet."""
    late = trainee(
        R,
        "2026-01-12",
        rotation(
            "2027-02-01",
            "2027-04-30",
            external=True,
            contact_date=d("2026-11-02"),
            registered=d("2026-09-01"),
        ),
    )
    early = trainee(
        R,
        "2026-01-12",
        rotation(
            "2027-02-01",
            "2027-04-30",
            external=True,
            contact_date=d("2026-10-15"),
            registered=d("2026-09-01"),
        ),
    )
    assert one(late, "2026-12-01", "rotation_contact").status == "late"
    assert one(late, "2026-11-01", "rotation_contact").status == "open"
    assert one(early, "2026-12-01", "rotation_contact").done_on == d("2026-10-15")


def test_contact_rule_only_for_external_rotations_and_month_end_s3_2() -> None:
    """§3.2 is about "extern arbetsplats"; May 31 minus three months is Feb 28."""
    internal = trainee(R, "2026-01-12", rotation("2027-02-01", "2027-04-30"))
    assert entries(internal, "2027-03-01", "rotation_contact") == []
    month_end = trainee(
        R,
        "2026-01-12",
        rotation("2027-05-31", "2027-08-31", external=True, registered=d("2027-01-10")),
    )
    assert one(month_end, "2027-03-01", "rotation_contact").due == d("2027-02-28")


def test_a_rotation_without_registered_date_is_known_from_its_start() -> None:
    """Spec: a rotation is dated by ``registered``, else by its start."""
    away = trainee(R, "2026-01-12", rotation("2027-02-01", "2027-04-30", external=True))
    assert entries(away, "2027-01-31", "rotation_contact") == []
    assert entries(away, "2027-01-31", "rotation_supervisor") == []
    assert one(away, "2027-02-01", "rotation_contact").status == "overdue"


def test_a_named_supervisor_is_open_from_registration_until_the_start_s3_4() -> None:
    planned = rotation("2026-09-01", "2026-10-31", registered=d("2026-03-15"))
    portfolio = trainee(R, "2026-01-12", planned)
    assert entries(portfolio, "2026-03-14", "rotation_supervisor") == []
    ahead = one(portfolio, "2026-03-15", "rotation_supervisor")
    assert (ahead.due, ahead.status, ahead.period) == (d("2026-09-01"), "open", d("2026-09-01"))
    assert one(portfolio, "2026-09-02", "rotation_supervisor").status == "overdue"
    # A rotation registered after its start is known from the day it was registered.
    late_entry = trainee(
        R, "2026-01-12", rotation("2026-09-01", "2026-10-31", registered=d("2026-09-20"))
    )
    assert entries(late_entry, "2026-09-10", "rotation_supervisor") == []
    assert one(late_entry, "2026-09-20", "rotation_supervisor").status == "overdue"


def test_feedback_after_each_rotation_s2_6() -> None:
    """§2.6: feedback "efter varje separat tjänstgöringsavsnitt"; 30 days is the product default."""
    ended = rotation("2026-09-01", "2026-11-30")
    portfolio = trainee(R, "2026-01-12", ended)
    assert entries(portfolio, "2026-11-29", "rotation_feedback") == []
    assert one(portfolio, "2026-11-30", "rotation_feedback").due == d("2026-12-30")
    assert one(portfolio, "2026-12-31", "rotation_feedback").status == "overdue"
    in_time = trainee(
        R, "2026-01-12", rotation("2026-09-01", "2026-11-30", feedback_date=d("2026-12-30"))
    )
    late = trainee(
        R, "2026-01-12", rotation("2026-09-01", "2026-11-30", feedback_date=d("2026-12-31"))
    )
    assert one(in_time, "2027-01-15", "rotation_feedback").status == "done"
    assert one(late, "2027-01-15", "rotation_feedback").status == "late"


def test_supervisor_appointed_for_rotating_trainees_s3_4() -> None:
    """§3.4: "tillse att handledare utses för vid kliniken sidoutbildande läkare"."""
    unnamed = trainee(R, "2026-01-12", rotation("2026-09-01", "2026-10-31"))
    assert entries(unnamed, "2026-08-31", "rotation_supervisor") == []
    assert one(unnamed, "2026-09-01", "rotation_supervisor").status == "open"
    assert one(unnamed, "2026-09-02", "rotation_supervisor").status == "overdue"
    named = trainee(R, "2026-01-12", rotation("2026-09-01", "2026-10-31", supervisor_named=True))
    result = one(named, "2026-09-02", "rotation_supervisor")
    assert (result.status, result.done_on, result.due) == ("done", d("2026-09-01"), d("2026-09-01"))


def test_unit_never_inspected_s2_6() -> None:
    """§2.6: external inspection "minst vart femte år", STINS "minst vartannat år"."""
    never = unit(R, "2021-03-01")
    inspection = one(never, "2024-01-01", "external_inspection")
    stins = one(never, "2024-01-01", "self_assessment")
    assert (inspection.due, inspection.status) == (d("2026-03-01"), "open")
    assert (stins.due, stins.status) == (d("2023-03-01"), "overdue")


def test_unit_inspection_restarts_the_interval_s2_6() -> None:
    """§2.6: after an inspection the next is due five years later; a future one does not count."""
    inspected = unit(R, "2021-03-01", ev("external_inspection", "2023-05-10"))
    assert one(inspected, "2024-01-01", "external_inspection").due == d("2028-05-10")
    assert one(inspected, "2023-05-09", "external_inspection").due == d("2026-03-01")


def test_rules_without_number_are_left_out() -> None:
    """§3.3 / §3.5 give no number for supervision, assessments or colloquium: no entries."""
    portfolio = trainee(
        R,
        "2026-01-12",
        ev("supervision", "2026-02-01", minutes=60),
        ev("assessment", "2026-03-01"),
        ev("specialist_colloquium", "2026-04-01"),
        ev("planning_meeting", "2026-02-01"),
    )
    absent = {"supervision", "assessments", "specialist_colloquium", "planning_meeting"}
    assert codes(portfolio, "2027-03-01") & absent == set()
    assert (
        codes(supervisor(R, ev("supervisor_training_basic", "2010-01-01")), "2027-01-01") == set()
    )
