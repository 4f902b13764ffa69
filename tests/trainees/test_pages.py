"""The programme pages: what each persona may see and do, and what bad input gets."""

from __future__ import annotations

from datetime import date

import pytest

from regions.tenancy import region_context
from stprogram.models import AccessLog, AuditEvent
from supervision.models import Assignment
from trainees import services
from trainees.models import Absence, Activity, Rotation, Trainee


def _base(world, suffix=""):
    return f"/blekinge/st/{world.trainee.pk}/{suffix}"


@pytest.mark.parametrize(
    ("start", "extent", "credited", "absences", "expected"),
    [
        # HSLF-FS 2021:8: 66 months; start + 66 months is the first day after training.
        (date(2026, 1, 12), 100, 0, [], "2031-07-11"),
        # Part time 75 %: 88 months.
        (date(2026, 1, 12), 75, 0, [], "2033-05-11"),
        # Six credited months shorten it.
        (date(2026, 1, 12), 100, 6, [], "2031-01-11"),
        # 28 days of parental leave (both ends inclusive) lengthen it by 28 days.
        (date(2026, 1, 12), 100, 0, [(date(2026, 7, 1), date(2026, 7, 28))], "2031-08-08"),
        # A leap-day start: 66 months later is 2029-08-29.
        (date(2024, 2, 29), 100, 0, [], "2029-08-28"),
    ],
)
def test_planned_end_on_the_page(world, login, start, extent, credited, absences, expected):
    Trainee.unscoped.filter(pk=world.trainee.pk).update(
        start_date=start, extent_percent=extent, credited_months=credited, bt_end=None
    )
    for first, last in absences:
        Absence.unscoped.create(
            region=world.region,
            trainee=world.trainee,
            kind="parental",
            start=first,
            end=last,
            created_by=world.trainee.user,
        )
    page = login(world.trainee.user).get("/blekinge/min-st/")
    assert f"<strong>{expected}</strong>" in page.text


def test_min_st_shows_timeline_with_text_alternative(world, login):
    page = login(world.trainee.user).get("/blekinge/min-st/").text
    assert 'role="img"' in page
    assert "Visa tidslinjen som tabell" in page


ADMIN_FORM = {
    "email": "ny.lakare@blekinge.test",
    "first_name": "Nora",
    "last_name": "Ny",
    "personnummer": "19121212-1212",
    "specialty": None,
    "regulation": "HSLF-FS 2021:8",
    "start_date": "2026-09-01",
    "bt_end": "2027-08-31",
    "extent_percent": "100",
    "credited_months": "0",
    "track": "ordinary",
}


def _enrol_data(world, **changes):
    data = dict(
        ADMIN_FORM,
        home_unit=world.unit.pk,
        specialty=world.unit.specialty_id,
        main_supervisor=world.supervisor.pk,
        study_director=world.study_director.pk,
    )
    data.update(changes)
    return data


def test_regional_admin_enrols_a_trainee(world, login):
    response = login(world.regional_admin).post("/blekinge/st/ny/", _enrol_data(world))
    assert response.status_code == 302
    trainee = Trainee.unscoped.get(user__email="ny.lakare@blekinge.test")
    assert trainee.personnummer == "191212121212"
    roles = set(Assignment.unscoped.filter(trainee=trainee).values_list("role", flat=True))
    assert roles == {"main_supervisor", "study_director"}
    assert AuditEvent.objects.filter(action="enrolled", trainee_id=trainee.pk).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"personnummer": "19121212-1213"}, "kontrollsiffra"),
        ({"personnummer": "121212-1212"}, "fyrsiffrigt"),
        ({"regulation": "SOSFS 2015:8"}, "BT finns bara i HSLF-FS 2021:8"),
        ({"bt_end": "2026-01-01"}, "BT måste sluta efter startdatum"),
        ({"extent_percent": "0"}, "större än eller lika med 1"),
        ({"start_date": "2026-13-01"}, "giltigt datum"),
        ({"email": ""}, "Detta fält måste fyllas i"),
    ],
)
def test_enrolment_bad_input_gets_a_swedish_message_and_saves_nothing(
    world, login, changes, message
):
    before = Trainee.unscoped.count()
    response = login(world.regional_admin).post("/blekinge/st/ny/", _enrol_data(world, **changes))
    assert response.status_code == 200
    assert message in response.text
    assert Trainee.unscoped.count() == before


def test_enrolment_refuses_a_unit_of_another_region(world, elsewhere, login):
    data = _enrol_data(world, home_unit=elsewhere.unit.pk)
    response = login(world.regional_admin).post("/blekinge/st/ny/", data)
    assert response.status_code == 200
    assert not Trainee.unscoped.filter(user__email="ny.lakare@blekinge.test").exists()


def test_enrolment_only_for_regional_admin(world, elsewhere, login):
    for user, code in (
        (world.study_director, 403),
        (world.trainee.user, 403),
        (elsewhere.regional_admin, 404),
    ):
        assert login(user).get("/blekinge/st/ny/").status_code == code


def test_assignment_history_is_kept(world, login):
    client = login(world.regional_admin)
    data = {"role": "main_supervisor", "user": world.study_director.pk, "start": "2026-03-01"}
    assert client.post(_base(world, "ansvariga/"), data).status_code == 302
    rows = Assignment.unscoped.filter(trainee=world.trainee, role="main_supervisor")
    assert rows.count() == 2
    old = rows.get(user=world.supervisor)
    assert old.end_date == date(2026, 2, 28)
    back = {**data, "user": world.supervisor.pk, "start": "2020-01-01"}
    bad = client.post(_base(world, "ansvariga/"), back)
    assert "efter föregående" in bad.text


def test_trainee_records_a_rotation_course_and_absence(world, login, catalogue):
    client = login(world.trainee.user)
    r = client.post(
        _base(world, "placeringar/ny/"),
        {
            "unit_name": "Barnkliniken",
            "start": "2026-02-01",
            "end": "2026-04-30",
            "extent_percent": "100",
            "goal_codes": ["STa3"],
        },
    )
    assert r.status_code == 302, r.text
    a = client.post(
        _base(world, "aktiviteter/ny/"),
        {"kind": "course", "title": "Ledarskap", "start": "2026-05-01", "end": "2026-05-03"},
    )
    assert a.status_code == 302
    f = client.post(
        _base(world, "franvaro/ny/"),
        {"kind": "parental", "start": "2026-07-01", "end": "2026-07-28"},
    )
    assert f.status_code == 302
    page = client.get("/blekinge/min-st/").text
    assert "Barnkliniken" in page
    assert "Ledarskap" in page
    assert "Föräldraledighet" in page
    assert Rotation.unscoped.get().goal_codes == ["STa3"]


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        (
            "placeringar/ny/",
            {"unit_name": "X", "start": "2026-05-01", "end": "2026-04-01", "extent_percent": "100"},
            "Slutdatum kan inte vara före startdatum",
        ),
        (
            "placeringar/ny/",
            {
                "unit_name": "X",
                "start": "2026-05-01",
                "end": "2026-06-01",
                "extent_percent": "100",
                "goal_codes": ["NOPE"],
            },
            "giltigt alternativ",
        ),
        (
            "placeringar/ny/",
            {
                "unit_name": "X",
                "start": "2026-05-01",
                "end": "2026-06-01",
                "extent_percent": "100",
                "local_supervisor_email": "x@y.test",
            },
            "Ingen handledare",
        ),
        (
            "aktiviteter/ny/",
            {"kind": "nonsense", "title": "T", "start": "2026-05-01", "end": "2026-05-01"},
            "giltigt alternativ",
        ),
        (
            "franvaro/ny/",
            {"kind": "sick", "start": "2026-05-01", "end": "2026-04-01"},
            "Slutdatum kan inte vara före startdatum",
        ),
    ],
)
def test_record_forms_reject_bad_input(world, login, catalogue, path, data, message):
    response = login(world.trainee.user).post(_base(world, path), data)
    assert response.status_code == 200
    assert message in response.text
    assert Rotation.unscoped.count() == Activity.unscoped.count() == Absence.unscoped.count() == 0


def test_overlapping_absence_is_refused(world, login):
    client = login(world.trainee.user)
    client.post(
        _base(world, "franvaro/ny/"), {"kind": "sick", "start": "2026-05-01", "end": "2026-05-10"}
    )
    response = client.post(
        _base(world, "franvaro/ny/"), {"kind": "other", "start": "2026-05-10", "end": "2026-05-12"}
    )
    assert "överlappar" in response.text
    assert Absence.unscoped.count() == 1


EDIT_PATHS = ["placeringar/ny/", "aktiviteter/ny/", "franvaro/ny/", "iup/ST/redigera/"]
VIEW_PATHS = ["", "iup/", "kontrakt/"]


@pytest.mark.parametrize("path", EDIT_PATHS + VIEW_PATHS)
def test_outsiders_get_404(world, elsewhere, login, catalogue, path):
    for user in (
        world.other_trainee.user,
        elsewhere.study_director,
        elsewhere.regional_admin,
        world.no_role,
    ):
        assert login(user).get(_base(world, path)).status_code == 404, (user, path)


@pytest.mark.parametrize("path", EDIT_PATHS)
def test_head_of_unit_may_read_but_not_edit(world, login, catalogue, path):
    client = login(world.head_of_unit)
    assert client.get(_base(world, "")).status_code == 200
    assert client.get(_base(world, path)).status_code == 403


@pytest.mark.parametrize("user_attr", ["supervisor", "study_director", "regional_admin"])
def test_responsible_people_may_edit(world, login, catalogue, user_attr):
    client = login(getattr(world, user_attr))
    for path in EDIT_PATHS:
        assert client.get(_base(world, path)).status_code == 200, path


def test_record_delete_is_for_editors_only(world, elsewhere, login):
    with region_context(world.region):
        absence = services.absence_record(
            trainee=world.trainee,
            by=world.trainee.user,
            kind="sick",
            start=date(2026, 1, 1),
            end=date(2026, 1, 2),
        )
    url = _base(world, f"franvaro/{absence.pk}/ta-bort/")
    assert login(world.head_of_unit).post(url).status_code == 403
    assert login(elsewhere.regional_admin).post(url).status_code == 404
    assert login(world.trainee.user).post(url).status_code == 302
    assert not Absence.unscoped.exists()
    assert AuditEvent.objects.filter(action="deleted").exists()


def test_personnummer_is_masked_and_viewing_it_is_logged(world, login):
    Trainee.unscoped.filter(pk=world.trainee.pk).update(personnummer="191212121212")
    client = login(world.study_director)
    page = client.get(_base(world, "")).text
    assert "19121212-****" in page
    assert "1212121212" not in page
    reveal = client.post(_base(world, "personnummer/"))
    assert reveal.text.strip() == "19121212-1212"
    log = AccessLog.objects.get(kind="personnummer")
    assert log.user == world.study_director
    assert "1212" not in log.object_repr
    assert login(world.head_of_unit).post(_base(world, "personnummer/")).status_code == 404
    assert login(world.head_of_unit).get(_base(world, "personnummer/")).status_code == 405


def test_iup_edit_and_versions(world, login, catalogue):
    client = login(world.trainee.user)
    data = {
        "goal-TOTAL_FORMS": "1",
        "goal-INITIAL_FORMS": "0",
        "goal-MIN_NUM_FORMS": "0",
        "goal-MAX_NUM_FORMS": "60",
        "goal-0-goal_code": "STa3",
        "goal-0-activities": "Kurs",
        "goal-0-assessment": "Intyg",
        "item-TOTAL_FORMS": "0",
        "item-INITIAL_FORMS": "0",
        "item-MIN_NUM_FORMS": "0",
        "item-MAX_NUM_FORMS": "60",
        "self_study": "4 h/v",
    }
    assert client.post(_base(world, "iup/ST/redigera/"), data).status_code == 302
    page = client.get(_base(world, "iup/")).text
    assert "ST v1" in page
    dup = dict(
        data,
        **{
            "goal-TOTAL_FORMS": "2",
            "goal-INITIAL_FORMS": "1",
            "goal-1-goal_code": "STa3",
            "goal-1-activities": "x",
            "goal-1-assessment": "y",
        },
    )
    assert "bara stå en gång" in client.post(_base(world, "iup/ST/redigera/"), dup).text
    removed = dict(data, **{"goal-INITIAL_FORMS": "1", "goal-0-DELETE": "on"})
    assert client.post(_base(world, "iup/ST/redigera/"), removed).status_code == 302
    from trainees.models import IupVersion

    assert IupVersion.unscoped.get(trainee=world.trainee).goal_plans.count() == 0


def test_read_only_viewers_are_not_offered_the_forms_that_refuse_them(world, login):
    """The obligation list and the meetings page link a form only for who may fill it in."""
    new_meeting = _base(world, "handledning/ny/")
    for user in (world.trainee.user, world.supervisor, world.study_director):
        client = login(user)
        assert f'href="{new_meeting}"' in client.get(_base(world)).text
        assert f'href="{new_meeting}"' in client.get(_base(world, "handledning/")).text
    for user in (world.regional_study_director, world.head_of_unit):
        client = login(user)
        assert client.get(new_meeting).status_code == 403
        page = client.get(_base(world)).text
        assert f'href="{new_meeting}"' not in page
        assert f'href="{_base(world, "handledning/")}"' in page  # the meetings, to read
        assert f'href="{new_meeting}"' not in client.get(_base(world, "handledning/")).text
