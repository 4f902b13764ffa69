"""Is the application ready? The check per regulation, and where the trainee sees it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from assessments.models import Specialty
from regions.models import Membership, Role
from regions.tenancy import region_context
from tests.factories import RotationFactory
from trainees.certificates import readiness
from trainees.certificates.drafts import find
from trainees.certificates.readiness import readiness_for
from trainees.models import Absence, Activity, Rotation, Trainee

TODAY = date(2026, 3, 1)


def _check(trainee, packet: str, today: date = TODAY):
    with region_context(trainee.region):
        drafts, checks = readiness_for(trainee, today)
    return drafts, next(c for c in checks if c.packet == packet)


def _texts(check) -> list[str]:
    return [g.text for g in check.gaps]


def _rotation(world, name: str, start: date, end: date, **extra) -> Rotation:
    return RotationFactory(
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


# --- Each goal's "Uppföljning" in the catalogue (psykiatri, SOSFS 2015:8) ----------------------


def _psychiatry_trainee(world):
    """The 2015 trainee in psykiatri, whose c-goals carry their activities in the catalogue."""
    specialty = Specialty.objects.get(slug="psykiatri")
    Trainee.unscoped.filter(pk=world.other_trainee.pk).update(specialty=specialty)
    return Trainee.unscoped.get(pk=world.other_trainee.pk)


def _record(world, trainee, model, **fields):
    return model.unscoped.create(
        region=world.region,
        trainee=trainee,
        created_by=world.supervisor,
        start=date(2024, 1, 8),
        end=date(2024, 3, 29),
        **fields,
    )


def _c1_gaps(check) -> list[str]:
    return [t for t in _texts(check) if t.startswith("Delmål c1 ")]


@pytest.mark.usefixtures("catalogue")
def test_a_goal_needs_each_certificate_its_follow_up_asks_for(world):
    trainee = _psychiatry_trainee(world)
    _record(world, trainee, Rotation, unit_name="Psykiatriska kliniken", goal_codes=["c1", "a1"])
    _, check = _check(trainee, "st")
    gap = next(g for g in check.gaps if g.text.startswith("Delmål c1 "))
    # Named as everywhere else, with the certificate that is missing.
    assert gap.text.startswith(
        "Delmål c1 – Den specialistkompetenta läkaren ska – behärska handläggning av vanliga "
        "och…: kursintyg som avser delmålet saknas"
    )
    assert gap.url == f"/{world.region.slug}/st/{trainee.pk}/aktiviteter/ny/"
    assert len(_c1_gaps(check)) == 1  # the rotation covers the clinical service
    _record(world, trainee, Activity, kind="course", title="Affektiva sjukdomar", goal_codes=["c1"])
    _, check = _check(trainee, "st")
    assert _c1_gaps(check) == ["Delmål c1 är inte intygat."]


@pytest.mark.usefixtures("catalogue")
def test_a_course_alone_lacks_the_clinical_service_certificate(world):
    trainee = _psychiatry_trainee(world)
    _record(world, trainee, Activity, kind="course", title="Affektiva sjukdomar", goal_codes=["c1"])
    _, check = _check(trainee, "st")
    gap = next(g for g in check.gaps if g.text.startswith("Delmål c1 "))
    assert "intyg om klinisk tjänstgöring som avser delmålet saknas" in gap.text
    assert gap.url == f"/{world.region.slug}/st/{trainee.pk}/placeringar/ny/"


@pytest.mark.usefixtures("catalogue")
def test_a_goal_without_follow_up_in_the_catalogue_keeps_todays_rule(world):
    trainee = _psychiatry_trainee(world)
    _, check = _check(trainee, "st")
    assert "Delmål a1: ingen utbildningsaktivitet eller placering avser det." in _texts(check)
    _record(world, trainee, Activity, kind="course", title="Ledarskap", goal_codes=["a1"])
    _, check = _check(trainee, "st")
    assert "Delmål a1 är inte intygat." in _texts(check)
    assert not any(t.startswith("Delmål a1:") for t in _texts(check))


@pytest.mark.usefixtures("catalogue")
def test_the_follow_up_gap_links_only_for_those_who_may_add_the_record(world, login):
    trainee = _psychiatry_trainee(world)
    _record(world, trainee, Rotation, unit_name="Psykiatriska kliniken", goal_codes=["c1"])
    Membership.unscoped.create(
        user=world.head_of_unit, region=world.region, role=Role.HEAD_OF_UNIT, unit=world.other_unit
    )
    url = f"/{world.region.slug}/st/{trainee.pk}/intyg/"
    page = login(trainee.user).get(url).content.decode()
    assert f'<a href="/{world.region.slug}/st/{trainee.pk}/aktiviteter/ny/">Delmål c1 – ' in page
    page = login(world.head_of_unit).get(url).content.decode()
    # Seen, but not as a link into a 403: the head of unit adds no records.
    assert "<li>Delmål c1 – " in page
    assert "kursintyg" in page
    page = login(world.no_role).get(url).content.decode()
    assert "kursintyg" not in page
