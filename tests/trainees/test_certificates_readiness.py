"""Is the application ready? The check per regulation, and where the trainee sees it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from regions.models import Membership, Role
from stprogram.tenancy import region_context
from trainees.certificates import readiness
from trainees.certificates.drafts import find
from trainees.certificates.readiness import readiness_for
from trainees.models import Absence, Activity, Rotation

TODAY = date(2026, 3, 1)


def _check(trainee, packet: str, today: date = TODAY):
    with region_context(trainee.region):
        drafts, checks = readiness_for(trainee, today)
    return drafts, next(c for c in checks if c.packet == packet)


def _texts(check) -> list[str]:
    return [g.text for g in check.gaps]


def _rotation(world, name: str, start: date, end: date, **extra) -> Rotation:
    return Rotation.unscoped.create(
        region=world.region,
        trainee=world.trainee,
        created_by=world.supervisor,
        unit_name=name,
        start=start,
        end=end,
        **extra,
    )


def test_bt_without_an_emergency_care_part_is_not_ready(world):
    _, check = _check(world.trainee, "bt")
    assert "BT saknar tjänstgöring inom akut sjukvård. Lägg till placeringen." in _texts(check)
    assert not any("primärvård" in t for t in _texts(check))  # the health centre is
    gap = next(g for g in check.gaps if "akut sjukvård" in g.text)
    assert gap.url == f"/{world.region.slug}/st/{world.trainee.pk}/placeringar/ny/"

    _rotation(world, "Akutmottagningen, Länssjukhuset", date(2025, 4, 1), date(2025, 6, 30))
    _, check = _check(world.trainee, "bt")
    assert not any("akut sjukvård" in t for t in _texts(check))


def test_bt_shorter_than_the_trainees_plan_is_not_ready(world):
    # Planned BT 250113–251231 is 11,6 months; a month of sick leave leaves 10,6.
    Absence.unscoped.create(
        region=world.region,
        trainee=world.trainee,
        created_by=world.supervisor,
        kind="sick",
        start=date(2025, 3, 1),
        end=date(2025, 3, 31),
    )
    _, check = _check(world.trainee, "bt")
    assert check.required_months == Decimal("11.6")
    assert check.months == Decimal("10.6")
    assert "BT: 10,6 månader på heltid av minst 11,6." in " ".join(_texts(check))


def test_bt_below_the_regulations_six_months_is_not_ready(world):
    world.trainee.bt_end = date(2025, 5, 31)
    world.trainee.save(update_fields=["bt_end"])
    _, check = _check(world.trainee, "bt")
    assert check.required_months == Decimal(6)
    assert any(t.startswith("BT: 4,6 månader på heltid av minst 6,0.") for t in _texts(check))


def test_basic_competence_needs_a_named_external_assessor(world):
    drafts, check = _check(world.trainee, "bt")
    assert not find(drafts, "baskompetens").complete
    assert "Uppnådd baskompetens: extern bedömare är inte namngiven." in _texts(check)
    assert not find(drafts, "bt-ansokan").complete


def test_st_counts_service_months_against_66_and_names_the_missing_works(world):
    _, check = _check(world.trainee, "st")
    assert check.required_months == Decimal(66)
    texts = _texts(check)
    assert any(t.startswith("ST: ") and "av minst 66,0" in t for t in texts)
    assert "Vetenskapligt arbete saknas. Registrera det." in texts
    assert "Kvalitets- eller utvecklingsarbete saknas. Registrera det." in texts
    Activity.unscoped.create(
        region=world.region,
        trainee=world.trainee,
        created_by=world.supervisor,
        kind="quality_work",
        title="Förbättringsarbete",
        start=date(2025, 9, 1),
        end=date(2025, 11, 30),
    )
    assert "Kvalitets- eller utvecklingsarbete saknas. Registrera det." not in _texts(
        _check(world.trainee, "st")[1]
    )


def test_the_check_reads_service_months_from_one_function(world, monkeypatch):
    monkeypatch.setattr(readiness, "service_months", lambda records, start, end: Decimal(70))
    _, check = _check(world.trainee, "st")
    assert check.months == Decimal(70)
    assert not any(t.startswith("ST: ") for t in _texts(check))


def test_2015_needs_60_months_and_a_named_head_of_unit(world):
    trainee = world.other_trainee  # SOSFS 2015:8, started 2020-09-01, unit without a head
    _, check = _check(trainee, "st")
    assert check.required_months == Decimal(60)
    assert "Uppnådd specialistkompetens: verksamhetschef är inte namngiven." in _texts(check)
    Membership.unscoped.create(
        user=world.head_of_unit, region=world.region, role=Role.HEAD_OF_UNIT, unit=world.other_unit
    )
    _, check = _check(trainee, "st")
    assert not any("verksamhetschef" in t for t in _texts(check))


@pytest.mark.usefixtures("catalogue")
def test_every_goal_of_the_curriculum_is_covered_and_signed(world):
    _, check = _check(world.trainee, "st")
    texts = _texts(check)
    assert "Delmål STa1: ingen utbildningsaktivitet eller placering avser det." in texts
    _rotation(
        world,
        "Medicinkliniken, Länssjukhuset",
        date(2025, 4, 1),
        date(2025, 6, 30),
        goal_codes=["STa1"],
    )
    _, check = _check(world.trainee, "st")
    gap = next(g for g in check.gaps if g.text == "Delmål STa1 är inte intygat.")
    assert gap.url == f"/{world.region.slug}/st/{world.trainee.pk}/delmal/STa1/intyga/"


# --- Who sees the check --------------------------------------------------------------------


def _page(client, world) -> tuple[int, str]:
    response = client.get(f"/{world.region.slug}/st/{world.trainee.pk}/intyg/")
    return response.status_code, response.content.decode()


def test_trainee_and_study_director_see_the_check_with_links(world, login):
    for user in (world.trainee.user, world.study_director):
        status, page = _page(login(user), world)
        assert status == 200
        assert "Är ansökan klar?" in page
        assert "BT saknar tjänstgöring inom akut sjukvård" in page
        assert f'href="/{world.region.slug}/st/{world.trainee.pk}/placeringar/ny/"' in page


def test_others_learn_nothing_of_the_check(world, elsewhere, login):
    for user, expected in (
        (elsewhere.study_director, 404),
        (elsewhere.trainee.user, 404),
        (world.no_role, 404),
        (world.other_trainee.user, 404),
    ):
        status, page = _page(login(user), world)
        assert status == expected, user
        assert "akut sjukvård" not in page


# --- Values the certificates carry -----------------------------------------------------------


def test_rotation_supervisor_signs_with_her_own_workplace(world):
    rotation = _rotation(
        world,
        "Kirurgkliniken, Länssjukhuset",
        date(2025, 9, 1),
        date(2025, 11, 30),
        local_supervisor=world.supervisor,
        goal_codes=["STc1"],
    )
    drafts, _ = _check(world.trainee, "st")
    signer = find(drafts, f"klinisk-tjanstgoring-{rotation.pk}").signer
    assert signer.user_id == world.supervisor.pk
    assert signer.workplace == f"{world.unit.name}, {world.region.name}"


def test_an_ongoing_rotation_ends_today_on_its_certificate_as_on_the_service_list(world):
    rotation = _rotation(
        world,
        "Kirurgkliniken, Länssjukhuset",
        date(2026, 1, 5),
        date(2026, 6, 30),
        goal_codes=["STc1"],
    )
    drafts, _ = _check(world.trainee, "st")
    draft = find(drafts, f"klinisk-tjanstgoring-{rotation.pk}")
    assert draft.fields["period"] == "260105–260301"
    assert not draft.complete
    service = find(drafts, "tjanstgoring")
    row = next(r for r in service.fields["rows"] if r.place.startswith("Kirurgkliniken"))
    assert row.end == TODAY
