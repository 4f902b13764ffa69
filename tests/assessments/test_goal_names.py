"""A goal is named by its title or its text wherever it appears, never by a bare code."""

from __future__ import annotations

from datetime import date

from assessments.models import Goal
from tests.assessments.test_signoff import _evidence
from tests.conftest import reauthenticated
from tests.factories import SupervisionMeetingFactory
from trainees.models import Activity

REQUIREMENT = (
    "Den specialistkompetenta läkaren ska kunna bedöma och handlägga vanliga och akuta "
    "tillstånd hos barn och ungdomar i primärvården."
)


def _load_text(code: str = "STc3") -> None:
    Goal.objects.filter(code=code).update(requirement_text=REQUIREMENT, is_placeholder=False)


def test_the_sign_off_page_shows_what_the_goal_requires(world, login, catalogue):
    _load_text()
    _evidence(world, code="STc3")
    client = reauthenticated(login(world.supervisor))
    page = client.get(f"/blekinge/st/{world.trainee.pk}/delmal/STc3/intyga/").text
    assert "Intyga delmål STc3 – Den specialistkompetenta läkaren ska kunna bedöma och" in page
    assert REQUIREMENT in page
    assert "Intyga delmål STc3:" not in page


def test_a_goal_without_loaded_text_says_so_and_who_loads_it(world, login, catalogue):
    _evidence(world, code="STc3")
    client = reauthenticated(login(world.supervisor))
    page = client.get(f"/blekinge/st/{world.trainee.pk}/delmal/STc3/intyga/").text
    assert "STc3 – kompetenskravet är inte inläst" in page
    assert "Katalogadministratören läser in målbeskrivningen" in page
    # The placeholder row's own wording is not passed off as the requirement.
    assert "Kompetenskravets text enligt" not in page


def test_the_progress_matrix_names_every_goal_with_its_text_one_click_away(world, login, catalogue):
    _load_text()
    page = login(world.study_director).get(f"/blekinge/st/{world.trainee.pk}/delmal/").text
    assert '<details class="goal"><summary>STa3 Medicinsk vetenskap</summary>' in page
    assert "<summary>STc3 – Den specialistkompetenta läkaren ska kunna bedöma och" in page
    assert f"<p>{REQUIREMENT}</p>" in page
    assert '<th scope="row">STc3</th>' not in page


def test_meetings_name_their_goals_in_the_form_and_the_list(world, login, catalogue):
    _load_text()
    SupervisionMeetingFactory(
        region=world.region,
        trainee=world.trainee,
        date=date(2026, 1, 5),
        minutes=45,
        goal_codes=["STc3"],
        supervisor=world.supervisor,
        created_by=world.trainee.user,
    )
    client = login(world.trainee.user)
    listing = client.get(f"/blekinge/st/{world.trainee.pk}/handledning/").text
    assert "<summary>STc3 – Den specialistkompetenta" in listing
    form = client.get(f"/blekinge/st/{world.trainee.pk}/handledning/ny/").text
    assert "STc3 – Den specialistkompetenta läkaren" in form
    assert "STc4 – kompetenskravet är inte inläst" in form


def test_goal_names_follow_the_language(world, login, catalogue):
    client = login(world.study_director)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/blekinge/st/{world.trainee.pk}/delmal/").text
    assert "STc3 – the requirement text has not been loaded" in page
    assert "The catalogue administrator loads the curriculum" in page


def test_a_certificate_draft_spells_out_the_goals_it_names(world, login, catalogue):
    course = Activity.unscoped.create(
        region=world.region,
        trainee=world.trainee,
        created_by=world.supervisor,
        kind="course",
        title="Kurs i barnmedicin",
        start=date(2025, 3, 3),
        end=date(2025, 3, 5),
        goal_codes=["STc3"],
    )
    _load_text()
    page = login(world.trainee.user).get(f"/blekinge/st/{world.trainee.pk}/intyg/kurs-{course.pk}/")
    assert page.status_code == 200
    assert "Delmålen på intyget" in page.text
    assert "<summary>STc3 – Den specialistkompetenta läkaren" in page.text
