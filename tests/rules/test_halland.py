"""Region Halland, 004_345cedfb9b047071.txt: worked cases reasoned from the source."""

from __future__ import annotations

from tests.rules.conftest import d, entries, ev, one, rotation, trainee, unit

R = "halland"


def test_new_unit_reviewed_within_two_years_verksamhetschef() -> None:
    """Verksamhetschef: a unit new to ST "ska" be reviewed "inom två år", then every five years."""
    new_unit = unit(R, "2025-03-01")
    first = one(new_unit, "2027-03-01", "external_inspection")
    assert (first.strength, first.due, first.status) == ("must", d("2027-03-01"), "open")
    assert one(new_unit, "2027-03-02", "external_inspection").status == "overdue"
    reviewed = unit(R, "2025-03-01", ev("external_inspection", "2026-06-01"))
    assert one(reviewed, "2027-03-02", "external_inspection").due == d("2031-06-01")


def test_the_two_year_rule_is_hallands_own() -> None:
    """Blekinge (000 §2.6) has no first-review time, so its first review follows the 5 years."""
    blekinge_unit = unit("blekinge", "2025-03-01")
    assert one(blekinge_unit, "2026-01-01", "external_inspection").due == d("2030-03-01")


def test_rotation_supervisor_only_when_longer_than_a_month_handledning() -> None:
    """Handledning: "Vid tjänstgöring längre än en månad vid annan enhet ska handledare
    ... utses"."""
    one_month = trainee(R, "2026-01-01", rotation("2026-02-01", "2026-02-28"))
    longer = trainee(R, "2026-01-01", rotation("2026-02-01", "2026-03-01"))
    assert entries(one_month, "2026-03-10", "rotation_supervisor") == []
    result = one(longer, "2026-03-10", "rotation_supervisor")
    assert (result.strength, result.status) == ("must", "overdue")


def test_contact_receiving_supervisor_before_start_klinisk_tjanstgoring() -> None:
    """Klinisk tjänstgöring och sidotjänstgöring: "bör ... kommunicera ... före
    tjänstgöringens start"."""
    on_start_day = trainee(
        R,
        "2026-01-01",
        rotation("2026-09-01", "2026-11-30", external=True, contact_date=d("2026-09-01")),
    )
    contact = one(on_start_day, "2026-09-15", "rotation_contact")
    assert (contact.strength, contact.due, contact.status) == ("should", d("2026-08-31"), "late")
    ahead = trainee(
        R,
        "2026-01-01",
        rotation("2026-09-01", "2026-11-30", external=True, contact_date=d("2026-06-01")),
    )
    assert one(ahead, "2026-09-15", "rotation_contact").status == "done"


def test_contact_covers_every_rotation_in_another_unit_hal_37() -> None:
    """ "Vid sidotjänstgöring i annan verksamhet": not only rotations flagged external."""
    internal = trainee(R, "2026-01-01", rotation("2026-09-01", "2026-11-30"))
    contact = one(internal, "2026-09-15", "rotation_contact")
    assert (contact.due, contact.status) == (d("2026-08-31"), "overdue")
    # Blekinge's "extern arbetsplats" keeps the external rotations only.
    blekinge = trainee("blekinge", "2026-01-01", rotation("2026-09-01", "2026-11-30"))
    assert entries(blekinge, "2026-09-15", "rotation_contact") == []


def test_planned_yearly_checkins_planerade_avstamningar() -> None:
    """Planerade avstämningar ("Förslagsvis"): colloquium and study-director meeting once a year."""
    portfolio = trainee(R, "2026-01-01", ev("studierektor_followup", "2026-10-01"))
    colloquium = one(portfolio, "2027-01-01", "specialist_colloquium", period=1)
    follow_up = one(portfolio, "2027-01-01", "studierektor_followup", period=1)
    assert (colloquium.strength, colloquium.status) == ("should", "overdue")
    assert (follow_up.strength, follow_up.status, follow_up.required) == ("should", "done", 1)


def test_supervision_evaluated_yearly_utvardering_av_handledning() -> None:
    """Utvärdering av handledning: "bör utvärderas minst 1 gång per år"."""
    portfolio = trainee(R, "2026-01-01", ev("supervision_evaluation", "2026-12-31"))
    evaluation = one(portfolio, "2027-01-01", "supervision_evaluation", period=1)
    assert (evaluation.status, evaluation.due) == ("done", d("2026-12-31"))


def test_contract_should_without_deadline_and_plan_within_six_months() -> None:
    """ST-kontrakt "bör" (no time); IUP "senast sex månader efter påbörjad tjänstgöring"."""
    portfolio = trainee(R, "2026-01-01")
    contract = one(portfolio, "2027-01-01", "contract")
    plan = one(portfolio, "2027-01-01", "iup")
    assert (contract.strength, contract.due, contract.status) == ("should", None, "open")
    assert (plan.strength, plan.due, plan.status) == ("must", d("2026-07-01"), "overdue")


def test_review_before_the_unit_took_trainees_does_not_count_verksamhetschef() -> None:
    """The two years run "från det att man börjat ta emot ST-läkare": a 2019 review is too old."""
    portfolio = unit(R, "2025-03-01", ev("external_inspection", "2019-01-01"))
    assert one(portfolio, "2026-01-01", "external_inspection").due == d("2027-03-01")
