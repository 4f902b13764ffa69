"""Socialstyrelsen's own forms: installed by hash and fields, filled by field name, read back.

The official PDFs live in ../shared/reference (never in the project). Without
them the tests skip locally and fail under `make test` and CI
(tests/shared_files.py), so CI cannot pass by quietly testing nothing.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
from datetime import date
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command

from regions.tenancy import region_context
from tests.shared_files import require_shared
from tests.trainees.demo_drafts import demo_drafts_seeded
from trainees.certificates import official
from trainees.certificates.drafts import Draft, find, packet_drafts
from trainees.certificates.readiness import readiness_for
from trainees.certificates.registry import FORMS_2015, FORMS_2021
from trainees.certificates.render import certificate_pdf, packet_pdf
from trainees.models import Activity, Rotation, Trainee

REFERENCE = Path(settings.BASE_DIR).parent / "shared" / "reference" / "socialstyrelsen"
TODAY = date(2026, 11, 23)
# The module fixture seeds the demo into the test database (django_db sets it up).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def reference() -> Path:
    return require_shared(REFERENCE, "Socialstyrelsens blanketter")


@pytest.fixture(scope="module")
def media(tmp_path_factory, reference) -> Path:
    root = tmp_path_factory.mktemp("media")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "MEDIA_ROOT", root)
        call_command("install_forms", str(reference), stdout=io.StringIO(), stderr=io.StringIO())
        yield root


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, media) -> dict[str, tuple[Trainee, list[Draft]]]:
    with django_db_blocker.unblock(), demo_drafts_seeded(today=TODAY) as drafts:
        yield drafts


def fields_of(content: bytes) -> dict[str, str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return {k: str(v.get("/V")) for k, v in (reader.get_fields() or {}).items() if v.get("/V")}


def filled(demo, email: str, key: str) -> tuple[Draft, dict[str, str], bytes]:
    trainee, drafts = demo[email]
    draft = find(drafts, key)
    content = certificate_pdf(trainee, draft)
    return draft, fields_of(content), content


# --- Installing ---------------------------------------------------------------------------


def test_every_form_of_both_regulations_is_installed_from_the_reference(media):
    for form in (*FORMS_2021, *FORMS_2015):
        path = official.installed(form.key)
        assert path is not None, form.key
        assert path.is_relative_to(media / "var" / "forms")
        assert hashlib.sha256(path.read_bytes()).hexdigest() in official.KNOWN_VERSIONS[form.key]


def test_a_changed_version_is_refused_naming_the_form_and_the_missing_field(reference, media):
    writer = pypdf.PdfWriter(clone_from=reference / "2021" / "2021-2-7212-bilaga-9.pdf")
    for ref in writer.pages[0]["/Annots"]:
        widget = ref.get_object()
        if widget.get("/T") == "Beskrivning av den kliniska tjänstgöringen":
            widget[pypdf.generic.NameObject("/T")] = pypdf.generic.TextStringObject("Beskrivning")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ValidationError) as error:
        official.install(content=buffer.getvalue())
    message = " ".join(error.value.messages)
    assert "HSLF-FS 2021:8 - Bilaga 9" in message
    assert "okänd version" in message
    assert "«Beskrivning av den kliniska tjänstgöringen»" in message


def test_a_file_that_is_no_form_is_refused(media, reference):
    with pytest.raises(ValidationError, match="ingen läsbar PDF"):
        official.install(content=b"not a pdf at all")
    with pytest.raises(ValidationError, match="inte någon av Socialstyrelsens"):
        official.install(content=(reference / "2015" / "targets2015.pdf").read_bytes())


def test_the_project_ships_no_copy_of_an_official_form():
    tracked = subprocess.run(
        ["git", "ls-files", "*.pdf"], cwd=settings.BASE_DIR, capture_output=True, text=True
    ).stdout.split()
    known = set().union(*official.KNOWN_VERSIONS.values())
    for name in tracked:
        digest = hashlib.sha256((Path(settings.BASE_DIR) / name).read_bytes()).hexdigest()
        assert digest not in known, name


def test_without_an_installed_form_the_draft_is_rendered(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    trainee, drafts = demo["st2021@halland.demo"]
    content = certificate_pdf(trainee, find(drafts, "specialistkompetens"))
    assert fields_of(content) == {}
    assert "UTKAST" in pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()


# --- Every form filled and read back -------------------------------------------------------


@pytest.mark.parametrize("form", [*FORMS_2021, *FORMS_2015], ids=lambda f: f.key)
def test_every_form_is_filled_by_field_name_and_stays_fillable(demo, form):
    email = "st2021@halland.demo" if form.key.startswith("2021") else "st2015@blekinge.demo"
    trainee, drafts = demo[email]
    draft = next(d for d in drafts if d.form == form)
    content = certificate_pdf(trainee, draft)
    values = fields_of(content)
    assert values["Efternamn"] == trainee.user.last_name
    assert values["Förnamn"] == trainee.user.first_name
    assert values["Personnummer"].startswith(trainee.personnummer[:8])
    if draft.number:
        assert values["Bilaga nr"] == str(draft.number)
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert "/AcroForm" in reader.trailer["/Root"]  # not flattened: still a form
    assert reader.trailer["/Root"]["/AcroForm"].get("/NeedAppearances")


def test_clinical_service_names_the_rotation_its_supervisor_and_period(demo):
    trainee, _ = demo["st2021@halland.demo"]
    rotation = Rotation.unscoped.get(trainee=trainee, unit_name__startswith="Medicinkliniken")
    _, values, _ = filled(demo, "st2021@halland.demo", f"klinisk-tjanstgoring-{rotation.pk}")
    assert values["Tjänstgöringsställe för klinisk tjänstgöring"] == rotation.unit_name
    assert "sjukhus" in rotation.unit_name.lower()
    assert values["Period ååmmdd  ååmmdd"] == f"{rotation.start:%y%m%d}–{rotation.end:%y%m%d}"
    assert values["Delmål som intyget avser tex STa1 STb1 STc1"] == ", ".join(rotation.goal_codes)
    # The rotation's own supervisor certifies it, not the main supervisor who signed goals.
    assert values["Namnförtydligande"] == rotation.local_supervisor_name
    assert values["Specialitet som ansökan avser"] == trainee.specialty.name


def test_auskultation_names_the_clinic_where_it_took_place(demo):
    trainee, _ = demo["st2021@halland.demo"]
    activity = Activity.unscoped.get(trainee=trainee, kind="auskultation")
    _, values, _ = filled(demo, "st2021@halland.demo", f"auskultation-{activity.pk}")
    place = values["Tjänstgöringsställe för auskultation"]
    assert place == activity.provider
    assert "klinik" in place.lower()
    assert "ST-kurser" not in place
    assert values["Period ååmmdd  ååmmdd"] == f"{activity.start:%y%m%d}–{activity.end:%y%m%d}"


def test_a_multi_day_course_shows_its_whole_period(demo):
    trainee, _ = demo["st2015@blekinge.demo"]
    course = Activity.unscoped.get(trainee=trainee, title="Ledarskap för ST-läkare")
    assert course.end > course.start
    _, values, _ = filled(demo, "st2015@blekinge.demo", f"kurs-{course.pk}")
    subject = values["Ämne i rubrikform och period ååmmdd  ååmmdd för kursen"]
    assert subject == f"Ledarskap för ST-läkare, {course.start:%y%m%d}–{course.end:%y%m%d}"
    assert values["Kursledare"] == course.leader_name


def test_course_signed_by_the_supervisor_ticks_handledare(demo):
    trainee, _ = demo["st2021@halland.demo"]
    course = Activity.unscoped.get(trainee=trainee, title="Ledarskap för ST-läkare")
    _, values, _ = filled(demo, "st2021@halland.demo", f"kurs-{course.pk}")
    assert values["Handledare"] == "/Ja"
    assert "Kursledare" not in values
    assert values["Kursens ämne anges i rubrikform"] == "Ledarskap för ST-läkare"
    assert values["Specialitet gäller endast handledare"] == "Allmänmedicin"


def test_bt_service_list_rows_sum_and_parts_read_back(demo):
    _, values, _ = filled(demo, "st2021@halland.demo", "bt-tjanstgoring")
    place = "Tjänstgöringsställe sjukhus klinik enhet eller annan specificeringRow"
    months = "Tjänstgöringens omfatt ning omräknad till månader på heltidRow"
    # Longer than the cell at the form's 10 pt: shrunk to fit, not cut.
    assert values[f"{place}2"] == "Akutmottagningen, Hallands sjukhus Halmstad"
    assert values["Period ååmmddååmmddRow2"] == "240304–240603"
    assert values[f"{months}2"] == "3,0"
    total = "Tjänstgöringens omfatt ning omräknad till månader på heltidSumma"
    rows = [v for k, v in values.items() if k.startswith(months) and k != total]
    assert values[total] == f"{sum(float(v.replace(',', '.')) for v in rows):.1f}".replace(".", ",")
    emergency = "Redogör för vilken eller vilka delar av tjänstgöringen som genomförts inom akut "
    assert "Akutmottagningen" in values[emergency + "sjukvård"]


def test_2015_specialist_competence_names_head_supervisor_and_study_director(demo):
    draft, values, _ = filled(demo, "st2015@blekinge.demo", "specialistkompetens")
    head, main = draft.signers
    assert values["Namnförtydligande"] == head.name
    assert values["Namnförtydligande_3"] == main.name
    assert values["Efternamn_Stu"] == draft.fields["study_director"].last
    assert values["Handledarutbildning årtal"] == main.training_year


def test_2021_application_lists_attachment_numbers_only_where_they_belong(demo):
    draft, values, content = filled(demo, "st2021@halland.demo", "ansokan")
    attached = draft.fields["attached"]
    assert values["Bilagor nr.0.0"] == attached["6"]
    assert values["Bilagor nr.0.4"] == attached["10"]
    # The other-documents boxes on the last page share the course boxes' fields on the
    # official form; here they are fields of their own, left blank.
    fields = pypdf.PdfReader(io.BytesIO(content)).get_fields()
    others = [name for name in fields if name.startswith("Bilagor nr.0.övriga")]
    assert len(others) == 4
    assert not any(name in values for name in others)


def test_text_that_does_not_fit_goes_to_a_numbered_continuation_sheet(demo):
    trainee, drafts = demo["st2021@halland.demo"]
    rotation = Rotation.unscoped.get(trainee=trainee, unit_name__startswith="Medicinkliniken")
    draft = find(drafts, f"klinisk-tjanstgoring-{rotation.pk}")
    long = " ".join(f"Moment{n} med patientnära arbete." for n in range(200))
    draft.fields["description"] = long
    content = certificate_pdf(trainee, draft)
    value = fields_of(content)["Beskrivning av den kliniska tjänstgöringen"]
    assert value.endswith("(forts. på fortsättningsblad 1)")
    assert value.startswith("Moment0 ")
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) > 1
    sheet = " ".join(" ".join(p.extract_text() for p in reader.pages[1:]).split())
    assert "Fortsättningsblad 1" in sheet
    assert "Moment199 med patientnära arbete." in sheet
    assert "Moment0 " not in sheet


def test_packet_keeps_each_forms_fields_apart(demo):
    trainee, drafts = demo["st2021@halland.demo"]
    members = packet_drafts(drafts, "st")
    content, pages = packet_pdf(trainee, members)
    values = fields_of(content)
    assert pages >= len(members)
    for draft in members[1:]:
        assert values[f"bilaga-{draft.number}.Bilaga nr"] == str(draft.number)
    assert values["ansokan.Efternamn"] == trainee.user.last_name


@pytest.mark.slow
def test_bench_reports_filling_the_official_forms(demo, reference):
    out = io.StringIO()
    call_command(
        "bench_certificates",
        "--trainee",
        "st2021@halland.demo",
        "--certificates",
        "3",
        "--runs",
        "1",
        "--forms",
        str(reference),
        stdout=out,
    )
    text = out.getvalue()
    assert "19 officiella blanketter installerade (tillfälligt)." in text
    assert "officiell blankett): median" in text
    assert "Paket med 3 intyg" in text


def test_the_bt_demo_trainee_has_an_external_assessor_named(demo):
    trainee = Trainee.unscoped.select_related("region").get(user__email="bt@norrbotten.demo")
    with region_context(trainee.region):
        drafts, checks = readiness_for(trainee, TODAY)
    assert find(drafts, "baskompetens").signers[1].name == "Eva Berglund"
    assert not any("extern bedömare" in g.text for c in checks for g in c.gaps)
