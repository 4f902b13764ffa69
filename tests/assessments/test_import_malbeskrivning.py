"""Importing Socialstyrelsen's målbeskrivning as published (PDF), and refusing what it is not."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from assessments.catalogue.curriculum_file import parse_curriculum
from assessments.catalogue.malbeskrivning_pdf import parse_malbeskrivning
from assessments.models import Curriculum, Goal, GoalSignoff, Regulation, Specialty
from assessments.services import CurriculumError, catalogue_load_shipped, malbeskrivning_import
from tests.assessments.conftest import catalogue_state
from tests.shared_files import require_shared

REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "socialstyrelsen"
TARGETS_2015 = REFERENCE / "2015" / "targets2015.pdf"
OTHER_FORM = REFERENCE / "2021" / "2021-2-7212-bilaga-1.pdf"
SHIPPED = Path(__file__).resolve().parents[2] / "assessments" / "data" / "psykiatri.csv"


def reference(path: Path) -> bytes:
    """The public reference file; in CI its absence is a failure, never a skip."""
    return require_shared(path, "Referensfilen").read_bytes()


def test_psychiatry_2015_has_exactly_c1_to_c13_with_texts_activities_and_follow_up():
    parsed = parse_malbeskrivning(reference(TARGETS_2015))
    assert (parsed.specialty_slug, parsed.specialty_name) == ("psykiatri", "Psykiatri")
    assert parsed.has_b_goals
    assert [row.code for row in parsed.rows] == [f"c{n}" for n in range(1, 14)]
    assert {row.regulation for row in parsed.rows} == {Regulation.SOSFS_2015_8}
    c3 = parsed.rows[2]
    assert c3.requirement_text == (
        "Den specialistkompetenta läkaren ska\n– kunna handlägga akutpsykiatriska tillstånd "
        "samt kunna initialt handlägga katastrofpsykiatriska situationer"
    )
    assert [(a["kind"], a["certificate"]) for a in c3.activities] == [
        ("clinical_service", "supervisor"),
        ("course", "course_leader_or_supervisor"),
        ("seminar", ""),
        ("medsittning", ""),
        ("theoretical_studies", ""),
    ]
    assert c3.activities[1]["text"] == "Deltagande i en eller flera kurser"
    c13 = parsed.rows[12]
    assert c13.requirement_text.endswith(
        "relevanta myndigheters organisation, regelverk och förutsättningar"
    )
    assert [a["text"] for a in c13.activities] == [
        "Klinisk tjänstgöring under handledning",
        "Deltagande i en eller flera kurser",
    ]
    assert parsed.rows[4].certificate_kinds == ["supervisor"]  # c5 has no course


def test_the_shipped_psychiatry_2015_rows_are_what_the_importer_produces():
    imported = parse_malbeskrivning(reference(TARGETS_2015)).rows
    shipped = [
        r for r in parse_curriculum(SHIPPED.read_bytes()).rows if r.regulation == "SOSFS 2015:8"
    ]
    fields = ("code", "title", "requirement_text", "is_placeholder", "activities")
    assert [[getattr(r, f) for f in fields] for r in shipped] == [
        [getattr(r, f) for f in fields] for r in imported
    ]


def test_the_command_loads_the_goals_with_their_certificate_kinds(db):
    reference(TARGETS_2015)
    call_command("import_malbeskrivning", str(TARGETS_2015), verbosity=0)
    goals = Goal.objects.filter(specialty__slug="psykiatri", regulation=Regulation.SOSFS_2015_8)
    assert list(goals.values_list("code", flat=True)) == [f"c{n}" for n in range(1, 14)]
    c1 = goals.get(code="c1")
    assert not c1.is_placeholder
    assert c1.certificate_kinds == ["supervisor", "course_leader_or_supervisor"]
    assert c1.activities[0]["kind"] == "clinical_service"


def test_importing_over_the_shipped_catalogue_changes_no_goal(db):
    data = reference(TARGETS_2015)
    catalogue_load_shipped()
    goals_before = catalogue_state()[0]
    result = malbeskrivning_import(data=data, file_name="targets2015.pdf")
    assert catalogue_state()[0] == goals_before
    assert (result.created, result.updated, result.unchanged) == (0, 0, 13)
    curriculum = Curriculum.objects.get(specialty__slug="psykiatri", regulation="SOSFS 2015:8")
    assert "inläst från PDF" in curriculum.source_note


def refused(data: bytes) -> list[str]:
    with pytest.raises(CurriculumError) as caught:
        malbeskrivning_import(data=data, file_name="fel.pdf")
    return caught.value.messages


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_loaded(db):
    before = catalogue_state()
    assert refused(b"regulation,code\n") == [
        "filen är ingen PDF; väntade Socialstyrelsens målbeskrivning som PDF"
    ]
    assert catalogue_state() == before


def test_another_form_of_socialstyrelsen_is_refused_with_what_was_expected(db):
    before = catalogue_state()
    [message] = refused(reference(OTHER_FORM))
    assert "För <specialitet> gäller a1–a6, b1–b5 samt c1–cN." in message
    assert catalogue_state() == before


def html_pdf(body: str) -> bytes:
    weasyprint = pytest.importorskip("weasyprint")
    style = (
        "@page{size:A4;margin:2cm} body{font:8pt/9pt sans-serif} table{width:100%;"
        "border-collapse:collapse;margin-bottom:60pt} td{vertical-align:top;padding:0;"
        "white-space:nowrap}"
    )
    return weasyprint.HTML(string=f"<style>{style}</style>{body}").write_pdf()


def goal_table(code: str, follow_up: str = "handledare") -> str:
    intyg = (
        "Intyg om genomförda<br>utbildningsaktiviteter<br>och uppfyllda<br>"
        f"kompetenskrav utfärdat<br>av {follow_up}"
    )
    return (
        f"<table><tr><td>Delmål {code}</td><td>Utbildnings-<br>aktiviteter</td>"
        "<td>Uppföljning</td></tr><tr><td>&nbsp;</td><td></td><td></td></tr>"
        "<tr><td>Den specialistkompetenta läkaren ska<br>– kunna handlägga<br>"
        f"&nbsp;&nbsp;tillstånd {code}</td><td>Klinisk tjänstgöring<br>under handledning</td>"
        f"<td>{intyg}</td></tr></table>"
    )


def test_the_2021_layout_with_stc_goals_is_read_the_same_way():
    scope = "<p>För ögonsjukdomar gäller STa1–STa7, STb1–STb4 samt STc1–STc2.</p>"
    parsed = parse_malbeskrivning(html_pdf(scope + goal_table("STc1") + goal_table("STc2")))
    assert parsed.specialty_slug == "ogonsjukdomar"
    assert [(r.regulation, r.code) for r in parsed.rows] == [
        (Regulation.HSLF_FS_2021_8, "STc1"),
        (Regulation.HSLF_FS_2021_8, "STc2"),
    ]
    assert parsed.rows[1].requirement_text.endswith("– kunna handlägga tillstånd STc2")
    assert parsed.rows[0].certificate_kinds == ["supervisor"]


def test_a_missing_goal_is_refused_with_the_goals_expected(db):
    scope = "<p>För ögonsjukdomar gäller STa1–STa7, STb1–STb4 samt STc1–STc2.</p>"
    [message] = refused(html_pdf(scope + goal_table("STc1")))
    assert message.startswith("sidan 1: ")
    assert "väntade delmålen STc1, STc2 i ordning men hittade STc1" in message
    assert not Goal.objects.exists()


def test_an_unknown_follow_up_is_refused_with_the_page(db):
    scope = "<p>För ögonsjukdomar gäller STa1–STa7, STb1–STb4 samt STc1–STc1.</p>"
    [message] = refused(html_pdf(scope + goal_table("STc1", follow_up="studierektor")))
    assert message.startswith("sidan 1: Delmål STc1: uppföljningen")
    assert not Goal.objects.exists()


PAGE = "/blekinge/katalog/malbeskrivning/"


def upload(client, data: bytes, name: str = "malbeskrivning.pdf"):
    return client.post(PAGE, {"file": SimpleUploadedFile(name, data)})


def test_the_regional_administrator_uploads_the_malbeskrivning(world, login):
    data = reference(TARGETS_2015)
    client = login(world.regional_admin)
    assert "Läs in målbeskrivning" in client.get(PAGE).text
    response = upload(client, data, "targets2015.pdf")
    assert response.status_code == 302
    goals = Goal.objects.filter(specialty__slug="psykiatri", regulation=Regulation.SOSFS_2015_8)
    assert goals.count() == 13
    assert "13 delmål – nya 13" in client.get(PAGE).text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"inte en pdf", "filen är ingen PDF"),
        (None, "hittades inte; filen är inte Socialstyrelsens målbeskrivning"),
    ],
)
def test_a_refused_upload_says_why_and_loads_nothing(world, login, data, expected):
    data = data if data is not None else reference(OTHER_FORM)
    before = catalogue_state()
    response = upload(login(world.regional_admin), data)
    assert response.status_code == 200
    assert "Ingenting lästes in." in response.text
    assert expected in response.text
    assert catalogue_state() == before


def test_only_a_regional_administrator_may_upload(world, elsewhere, login):
    data = html_pdf("<p>x</p>")
    for user, code in (
        (world.study_director, 403),
        (world.trainee.user, 403),
        (elsewhere.regional_admin, 404),
    ):
        client = login(user)
        assert client.get(PAGE).status_code == code
        assert upload(client, data).status_code == code
    assert not Goal.objects.exists()


def test_the_region_page_leads_only_the_administrator_to_the_upload(world, login):
    assert PAGE in login(world.regional_admin).get("/blekinge/region/").text
    assert PAGE not in login(world.regional_study_director).get("/blekinge/region/").text


def test_a_missing_reference_file_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        reference(tmp_path / "saknas.pdf")


def assumed_c14() -> Goal:
    return Goal.objects.create(
        regulation=Regulation.SOSFS_2015_8,
        code="c14",
        group=Goal.Group.C,
        specialty=Specialty.objects.get(slug="psykiatri"),
        sort_order=314,
    )


def test_an_assumed_goal_the_publication_lacks_is_removed(db):
    data = reference(TARGETS_2015)
    catalogue_load_shipped()
    assumed_c14()
    result = malbeskrivning_import(data=data, file_name="targets2015.pdf")
    assert goal_codes_of("psykiatri") == [f"c{n}" for n in range(1, 14)]
    assert (result.removed, result.not_in_file) == (1, 0)
    assert "1 platshållare som målbeskrivningen inte har togs bort" in result.summary()


def test_an_assumed_goal_a_signoff_cites_is_kept(world):
    data = reference(TARGETS_2015)
    catalogue_load_shipped()
    assumed_c14()
    trainee = world.trainee
    trainee.specialty = Specialty.objects.get(slug="psykiatri")
    trainee.regulation = Regulation.SOSFS_2015_8
    trainee.bt_end = None
    trainee.save()
    GoalSignoff.unscoped.create(
        region=world.region,
        trainee=trainee,
        goal_code="c14",
        signed_by=world.supervisor,
        party="main_supervisor",
        evidence=[],
        content_hash="0" * 64,
    )
    result = malbeskrivning_import(data=data, file_name="targets2015.pdf")
    assert goal_codes_of("psykiatri")[-1] == "c14"
    assert (result.removed, result.not_in_file) == (0, 1)


def goal_codes_of(slug: str) -> list[str]:
    goals = Goal.objects.filter(specialty__slug=slug, regulation=Regulation.SOSFS_2015_8)
    return list(goals.order_by("sort_order").values_list("code", flat=True))


def test_the_command_refuses_a_file_it_does_not_understand_with_exit_code_2(db, tmp_path):
    path = tmp_path / "blankett.csv"
    path.write_text("regulation,code\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_malbeskrivning", str(path), stderr=err)
    assert exit_.value.code == 2
    assert "Ingenting lästes in" in err.getvalue()
    assert "filen är ingen PDF" in err.getvalue()
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("kurs||Deltagande i kurs", "ska vara typ|intyg|text med en av typerna clinical_service"),
        ("course|studierektor|Kurs", 'okänt intyg "studierektor"'),
    ],
)
def test_a_bad_activities_cell_in_a_csv_file_is_refused(cell, message):
    header = "regulation,specialty_slug,specialty_name,code,title,requirement_text,placeholder,"
    row = f'SOSFS 2015:8,psykiatri,Psykiatri,c1,,Text,false,"{cell}"\n'
    with pytest.raises(CurriculumError) as caught:
        parse_curriculum(f"{header}activities\n{row}".encode())
    assert caught.value.messages[0].startswith("rad 2: kolumnen activities: ")
    assert message in caught.value.messages[0]
