"""Qualifications as the profiles state them: study directors, Östergötland's 2008, Blekinge's
"specialistkompetens" in any specialty, and Jönköping's conflict read from its profile."""

from __future__ import annotations

from datetime import date

from assessments.models import Specialty
from regions.models import Membership, Role
from supervision.models import SupervisorProfile, SupervisorTraining
from supervision.qualifications import (
    conflict_of_interest,
    qualification,
    study_director_qualifications,
)
from tests.factories import world_build


def _specialist(user, specialty) -> None:
    SupervisorProfile.objects.create(
        user=user, specialty=specialty, specialist_since=date(2015, 1, 1)
    )


def _course(user, kind: str, day: date) -> None:
    SupervisorTraining.objects.create(user=user, kind=kind, date=day)


def test_norrbotten_study_director_needs_the_study_director_course(db, login):
    norr = world_build(slug="norrbotten", name="Region Norrbotten")
    sd = norr.study_director
    _specialist(sd, norr.unit.specialty)
    _course(sd, "supervisor_training_basic", date(2016, 1, 1))
    page = login(norr.head_of_unit).get("/norrbotten/handledare/enheter/")
    directors = page.text.split('id="directors-table"')[1]
    assert "Studierektorsutbildning saknas." in directors
    client = login(sd)
    own = client.get("/norrbotten/handledare/kompetens/")
    assert own.status_code == 200
    assert "Studierektorsutbildning saknas." in own.text
    client.post(
        "/norrbotten/handledare/kompetens/",
        {"training": "1", "kind": "study_director_course", "day": "2020-03-01", "provider": "SK"},
    )
    assert (
        "Uppfyller regionens krav på studierektor."
        in client.get("/norrbotten/handledare/kompetens/").text
    )
    page = login(norr.head_of_unit).get("/norrbotten/handledare/enheter/")
    assert "Studierektorsutbildning saknas." not in page.text.split('id="directors-table"')[1]


def test_a_study_director_without_specialist_competence_is_flagged_in_blekinge(world):
    status = study_director_qualifications({world.study_director.pk}, "blekinge")
    assert status[world.study_director.pk].problems == [
        "Specialistkompetens är inte registrerad.",
        "Handledarutbildning saknas.",
    ]


def test_jonkoping_sets_no_study_director_requirement(db, login):
    jkp = world_build(slug="jonkoping", name="Region Jönköpings län")
    assert study_director_qualifications({jkp.study_director.pk}, "jonkoping") is None
    page = login(jkp.study_director).get("/jonkoping/handledare/enheter/")
    assert 'id="directors-table"' not in page.text


def test_ostergotland_wants_a_supervisor_course_from_2008_or_later(db):
    ost = world_build(slug="ostergotland", name="Region Östergötland")
    sup = ost.supervisor
    _specialist(sup, ost.unit.specialty)
    _course(sup, "supervisor_training_basic", date(2007, 5, 1))
    status = qualification(sup, ost.unit.specialty_id, "ostergotland", on=date(2026, 1, 1))
    assert "Handledarutbildningen ska vara från 2008-01-01 eller senare." in status.problems
    _course(sup, "supervisor_training_basic", date(2009, 5, 1))
    status = qualification(sup, ost.unit.specialty_id, "ostergotland", on=date(2026, 1, 1))
    assert status.ok, status.problems


def test_ostergotland_update_course_moves_the_five_years_without_making_it_a_problem(db):
    ost = world_build(slug="ostergotland", name="Region Östergötland")
    sup = ost.supervisor
    _specialist(sup, ost.unit.specialty)
    _course(sup, "supervisor_training_basic", date(2012, 5, 1))
    _course(sup, "supervisor_training_supplementary", date(2024, 5, 1))
    status = qualification(sup, ost.unit.specialty_id, "ostergotland", on=date(2026, 1, 1))
    assert status.renewals["supervisor_training_basic"] == date(2029, 5, 1)
    assert status.ok


def test_ostergotland_main_supervisor_must_be_a_general_practitioner(db):
    ost = world_build(slug="ostergotland", name="Region Östergötland")
    other, _ = Specialty.objects.get_or_create(slug="psykiatri", name="Psykiatri")
    _specialist(ost.supervisor, other)
    _course(ost.supervisor, "supervisor_training_basic", date(2015, 1, 1))
    status = qualification(ost.supervisor, None, "ostergotland", on=date(2026, 1, 1))
    assert status.problems == ["Ska vara specialist i allmänmedicin."]


def test_blekinge_asks_for_specialist_competence_in_any_specialty(world):
    other, _ = Specialty.objects.get_or_create(slug="psykiatri", name="Psykiatri")
    _specialist(world.supervisor, other)
    _course(world.supervisor, "supervisor_training_basic", date(2015, 1, 1))
    status = qualification(world.supervisor, world.unit.specialty_id, "blekinge")
    assert status.ok, status.problems


def test_norrbotten_asks_for_the_trainees_specialty(db):
    norr = world_build(slug="norrbotten", name="Region Norrbotten")
    other, _ = Specialty.objects.get_or_create(slug="psykiatri", name="Psykiatri")
    _specialist(norr.supervisor, other)
    _course(norr.supervisor, "supervisor_training_basic", date(2025, 1, 1))
    status = qualification(
        norr.supervisor, norr.unit.specialty_id, "norrbotten", on=date(2026, 1, 1)
    )
    assert status.problems == ["Specialist i en annan specialitet."]


def test_the_head_of_unit_conflict_is_jonkopings_only(db):
    for slug, name, expected in (
        ("jonkoping", "Region Jönköpings län", True),
        ("halland", "Region Halland", False),
    ):
        w = world_build(slug=slug, name=name)
        Membership.unscoped.create(
            user=w.head_of_unit, region=w.region, role=Role.SUPERVISOR, unit=w.unit
        )
        assert bool(conflict_of_interest(w.head_of_unit, w.trainee)) is expected


def test_a_side_supervisor_of_another_specialty_is_not_warned(db):
    """Norrbotten Sidohandledare: "relevant specialistkompetens", not the trainee's specialty."""
    norr = world_build(slug="norrbotten", name="Region Norrbotten")
    other, _ = Specialty.objects.get_or_create(slug="pediatrik", name="Barn- och ungdomsmedicin")
    _specialist(norr.supervisor, other)
    _course(norr.supervisor, "supervisor_training_basic", date(2025, 1, 1))
    specialty = norr.unit.specialty_id
    side = qualification(norr.supervisor, specialty, "norrbotten", on=date(2026, 1, 1), side=True)
    assert side.ok, side.problems
    main = qualification(norr.supervisor, specialty, "norrbotten", on=date(2026, 1, 1))
    assert main.problems == ["Specialist i en annan specialitet."]


def test_jonkoping_lets_a_trainee_near_the_end_of_st_supervise_in_bt(db):
    """Handledning under BT: the main supervisor "är specialist eller i slutet av ST"."""
    jkp = world_build(slug="jonkoping", name="Region Jönköpings län")
    _course(jkp.supervisor, "supervisor_training_basic", date(2024, 1, 1))
    specialty = jkp.unit.specialty_id
    in_bt = qualification(jkp.supervisor, specialty, "jonkoping", date(2026, 1, 1), in_bt=True)
    assert in_bt.ok, in_bt.problems
    in_st = qualification(jkp.supervisor, specialty, "jonkoping", date(2026, 1, 1))
    assert in_st.problems == ["Specialistkompetens är inte registrerad."]
    north = qualification(jkp.supervisor, specialty, "norrbotten", date(2026, 1, 1), in_bt=True)
    assert "Specialistkompetens är inte registrerad." in north.problems
