"""Bulk onboarding (issue 24, item 2): a dry run row by row, then all or nothing, re-runnable."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from regions.models import Membership, ObligationStatus, Role, Unit
from regions.onboarding import apply as apply_module
from regions.onboarding.columns import PEOPLE, TRAINEES, UNITS
from regions.onboarding.models import OnboardingImport, OnboardingInvitation
from regions.onboarding.progress import progress_clear, progress_write
from regions.onboarding.services import run_pending
from stprogram.models import AuditEvent, User
from supervision.models import Assignment
from tests.regions import onboarding_files as f
from trainees.models import Trainee

URL = "/blekinge/inlasning/"


def _upload(client, *files: tuple[str, bytes]):
    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    return client.post(URL, {"files": uploads})


def _counts() -> tuple[int, int, int, int]:
    return (
        Unit.unscoped.count(),
        User.objects.count(),
        Trainee.unscoped.count(),
        Membership.unscoped.count(),
    )


def _confirm_and_run(client, checked: OnboardingImport):
    response = client.post(f"{URL}{checked.pk}/bekrafta/")
    assert response.status_code == 302
    run_pending()
    return client.get(f"{URL}{checked.pk}/")


def test_dry_run_shows_each_row_and_saves_nothing_until_confirmed(world, login):
    client = login(world.regional_admin)
    before = _counts()
    response = _upload(client, ("region.xlsx", f.full(n_trainees=3)))
    assert response.status_code == 200
    text = response.text
    assert "7 rader skapas, 0 ändras, 0 är oförändrade och 0 avvisas." in text
    assert "Vårdcentralen Ek 0 (SE2321000081-E000)" in text
    assert "ny roll: Handledare (Vårdcentralen Ek 0)" in text
    assert _counts() == before
    checked = OnboardingImport.unscoped.get()
    assert checked.status == OnboardingImport.Status.CHECKED


def test_confirmed_run_creates_everything_once_and_audits_it(world, login):
    client = login(world.regional_admin)
    _upload(client, ("region.xlsx", f.full(n_trainees=3)))
    page = _confirm_and_run(client, OnboardingImport.unscoped.get())
    assert "1 enheter, 6 personer och 3 ST-läkare är skapade eller ändrade." in page.text
    unit = Unit.unscoped.get(code="SE2321000081-E000")
    head = User.objects.get(hsa_id="SE2321000081-vc000")
    assert Membership.unscoped.filter(user=head, role=Role.HEAD_OF_UNIT, unit=unit).exists()
    trainee = Trainee.unscoped.get(user__email="st0@blekinge.test")
    assert (trainee.regulation, trainee.bt_end, trainee.home_unit) == (
        "HSLF-FS 2021:8",
        date(2025, 12, 31),
        unit,
    )
    assignments = dict(
        Assignment.unscoped.filter(trainee=trainee).values_list("role", "user__email")
    )
    assert assignments == {
        "main_supervisor": "hl0.0@blekinge.test",
        "study_director": "sr0@blekinge.test",
    }
    assert not trainee.user.has_usable_password()
    assert AuditEvent.objects.filter(action="enrolled", trainee_id=trainee.pk).exists()
    assert AuditEvent.objects.filter(action="unit_created", region_slug="blekinge").count() == 1
    # The dashboards read stored obligations: the new trainees have theirs.
    assert ObligationStatus.unscoped.filter(trainee=trainee).exists()
    assert OnboardingInvitation.unscoped.count() == 6


def test_a_rerun_updates_and_never_duplicates(world, login):
    client = login(world.regional_admin)
    _upload(client, ("region.xlsx", f.full(n_trainees=3)))
    _confirm_and_run(client, OnboardingImport.unscoped.get())
    after_first = _counts()
    trainee_rows = f.trainees(3)
    trainee_rows[1][9] = 6  # credited months
    again = f.workbook(f.units(), f.people(), trainee_rows)
    response = _upload(client, ("region.xlsx", again))
    assert "0 rader skapas, 1 ändras, 6 är oförändrade och 0 avvisas." in response.text
    assert "tillgodoräknade månader: 6" in response.text
    _confirm_and_run(client, OnboardingImport.unscoped.filter(status="checked").get())
    assert _counts() == after_first
    assert Trainee.unscoped.get(user__email="st1@blekinge.test").credited_months == 6
    assert OnboardingInvitation.unscoped.count() == 6  # no one is owed a second invitation


def test_an_existing_unit_without_code_is_adopted_not_doubled(world, login):
    rows = f.units()
    rows[0][1] = world.unit.name
    client = login(world.regional_admin)
    response = _upload(client, ("u.xlsx", f.workbook(rows, f.people())))
    assert "enhetskod: SE2321000081-E000" in response.text
    _confirm_and_run(client, OnboardingImport.unscoped.get())
    world.unit.refresh_from_db()
    assert world.unit.code == "SE2321000081-E000"
    assert Unit.unscoped.filter(region=world.region).count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: r.__setitem__(6, "2025-13-01"),
            "Rad 3, kolumn ”Startdatum”: ”2025-13-01” är inget datum",
        ),
        (
            lambda r: r.__setitem__(4, "AFS 1999"),
            "Rad 3, kolumn ”Föreskrift”: ”AFS 1999”: ange SOSFS 2015:8",
        ),
        (lambda r: r.__setitem__(0, "SE123"), "Rad 3, kolumn ”HSA-id”: ”SE123” är inget HSA-id"),
        (
            lambda r: r.__setitem__(10, "X-999"),
            "Rad 3, kolumn ”Hemenhet”: enheten ”X-999” finns varken",
        ),
        (
            lambda r: r.__setitem__(11, "okand@blekinge.test"),
            "Rad 3, kolumn ”Huvudhandledare”: okand@blekinge.test finns varken",
        ),
        (
            lambda r: r.__setitem__(11, "SE2321000081-sr000"),
            "har inte rollen handledare i regionen",
        ),
        (
            lambda r: r.__setitem__(4, "SOSFS 2015:8"),
            "Rad 3, kolumn ”BT slutar”: BT finns bara i HSLF-FS 2021:8",
        ),
        (lambda r: r.__setitem__(8, 120), "Rad 3, kolumn ”Omfattning”: ett heltal från 1 till 100"),
        (
            lambda r: r.__setitem__(1, "inte-en-adress"),
            "Rad 3, kolumn ”E-post”: ”inte-en-adress” är ingen giltig",
        ),
    ],
)
def test_a_refused_row_names_line_and_column_and_nothing_is_kept(world, login, change, message):
    rows = f.trainees(2)
    change(rows[1])
    client = login(world.regional_admin)
    before = _counts()
    response = _upload(client, ("region.xlsx", f.workbook(f.units(), f.people(), rows)))
    assert message in response.text
    assert "1 avvisas" in response.text
    assert "Läs in</button>" not in response.text
    assert not OnboardingImport.unscoped.exists()
    assert _counts() == before


def test_an_address_already_used_outside_the_region_is_refused(world, elsewhere, login):
    rows = f.people()
    rows[2][1] = elsewhere.supervisor.email
    rows[2][0] = ""
    response = _upload(login(world.regional_admin), ("p.xlsx", f.workbook(f.units(), rows)))
    assert "finns redan utanför regionen" in response.text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("trasig.xlsx", b"PK\x03\x04 inte en arbetsbok", "trasig.xlsx kan inte läsas som XLSX."),
        (
            "bild.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00",
            "bild.csv är varken en CSV-fil eller en XLSX-fil.",
        ),
        (
            "fel.csv",
            b"Namn;Telefon\nAnna;123\n",
            "fel.csv: rubrikraden (Namn, Telefon) motsvarar ingen",
        ),
        ("tom.csv", b"\xef\xbb\xbf", "tom.csv är tom."),
        ("fel.txt.pdf", b"%PDF-1.7", "fel.txt.pdf är varken en CSV-fil eller en XLSX-fil."),
    ],
)
def test_a_malformed_file_is_refused_in_swedish_and_leaves_nothing(
    world, login, name, data, message
):
    before = _counts()
    response = _upload(login(world.regional_admin), (name, data))
    assert response.status_code == 200
    assert message in response.text
    assert _counts() == before
    assert not OnboardingImport.unscoped.exists()


def test_csv_from_swedish_excel_in_cp1252_and_utf8_with_bom(world, login):
    client = login(world.regional_admin)
    files = [
        ("enheter.csv", f.csv_file(UNITS, f.units(), encoding="cp1252")),
        ("personal.csv", f.csv_file(PEOPLE, f.people(), encoding="utf-8-sig")),
        ("st-lakare.csv", f.csv_file(TRAINEES, f.trainees(2), encoding="cp1252")),
    ]
    response = _upload(client, *files)
    assert "6 rader skapas" in response.text
    _confirm_and_run(client, OnboardingImport.unscoped.get())
    assert Unit.unscoped.get(code="SE2321000081-E000").name == "Vårdcentralen Ek 0"
    assert (
        Trainee.unscoped.filter(region=world.region, specialty__name="Allmänmedicin").count() == 4
    )


def test_a_failure_during_the_run_leaves_nothing_behind(world, login, monkeypatch):
    client = login(world.regional_admin)
    _upload(client, ("region.xlsx", f.full(n_trainees=3)))
    before = _counts()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(apply_module, "_obligations", broken)
    page = _confirm_and_run(client, OnboardingImport.unscoped.get())
    assert "Inläsningen avbröts av ett fel (RuntimeError). Ingenting sparades." in page.text
    assert _counts() == before
    assert (
        not AuditEvent.objects.filter(action="enrolled")
        .exclude(trainee_id=None)
        .filter(trainee_id__gt=world.other_trainee.pk)
        .exists()
    )
    assert not OnboardingInvitation.unscoped.exists()


def test_a_region_changed_since_the_dry_run_fails_the_run_whole(world, elsewhere, login):
    client = login(world.regional_admin)
    _upload(client, ("region.xlsx", f.full(n_trainees=2)))
    # Meanwhile someone in Halland gets the address of one of the file's supervisors.
    User.objects.create_user(email="hl0.0@blekinge.test")
    before = _counts()
    page = _confirm_and_run(client, OnboardingImport.unscoped.get())
    assert "Regionens uppgifter har ändrats sedan kontrollen" in page.text
    assert _counts() == before


def test_progress_is_shown_while_running_with_and_without_javascript(world, login):
    client = login(world.regional_admin)
    _upload(client, ("region.xlsx", f.full(n_trainees=1)))
    checked = OnboardingImport.unscoped.get()
    client.post(f"{URL}{checked.pk}/bekrafta/")
    progress_write(checked.pk, 0.42)
    try:
        page = client.get(f"{URL}{checked.pk}/")
        assert '<progress max="100" value="42"' in page.text
        assert '<meta http-equiv="refresh" content="5">' in page.text
        assert "Uppdatera sidan" in page.text
        fragment = client.get(f"{URL}{checked.pk}/", headers={"HX-Request": "true"})
        assert fragment.text.lstrip().startswith('<section id="progress"')
        assert 'hx-trigger="every 2s"' in fragment.text
    finally:
        progress_clear(checked.pk)


def test_templates_download_and_a_filled_template_imports(world, login):
    client = login(world.regional_admin)
    response = client.get(f"{URL}mall.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Enheter", "Personal", "ST-läkare", "Instruktioner"]
    assert [c.value for c in book["ST-läkare"][1]][:3] == ["HSA-id", "E-post", "Förnamn"]
    for table, rows in (
        ("Enheter", f.units()),
        ("Personal", f.people()),
        ("ST-läkare", f.trainees(1)),
    ):
        for row in rows:
            book[table].append(row)
    filled = io.BytesIO()
    book.save(filled)
    assert "5 rader skapas" in _upload(client, ("ifylld.xlsx", filled.getvalue())).text
    csv = client.get(f"{URL}mall-st-lakare.csv")
    assert csv.content.startswith("\ufeffHSA-id;E-post;Förnamn".encode())
    assert client.get(f"{URL}mall-okand.csv").status_code == 404


def test_outsiders_never_reach_an_import(world, elsewhere, login, client):
    admin = login(world.regional_admin)
    _upload(admin, ("region.xlsx", f.full(n_trainees=1)))
    checked = OnboardingImport.unscoped.get()
    client.logout()
    other_admin = login(elsewhere.regional_admin)
    assert other_admin.get(f"{URL}{checked.pk}/").status_code == 404
    assert other_admin.post(f"{URL}{checked.pk}/bekrafta/").status_code == 404
    assert other_admin.get(f"/halland/inlasning/{checked.pk}/").status_code == 404
    assert other_admin.post(f"/halland/inlasning/{checked.pk}/bekrafta/").status_code == 404
    client.logout()
    supervisor = login(world.supervisor)
    assert supervisor.post(f"{URL}{checked.pk}/bekrafta/").status_code == 403
    assert supervisor.get(URL).status_code == 403
    checked.refresh_from_db()
    assert checked.status == OnboardingImport.Status.CHECKED


def test_the_dry_run_costs_the_same_queries_for_ten_or_forty_trainees(
    world, login, django_assert_max_num_queries
):
    client = login(world.regional_admin)
    with django_assert_max_num_queries(40) as small:
        _upload(client, ("a.xlsx", f.full(n_trainees=10, n_units=2)))
    with django_assert_max_num_queries(len(small.captured_queries)):
        _upload(client, ("b.xlsx", f.full(n_trainees=40, n_units=8)))


def test_command_dry_run_writes_nothing_and_the_real_run_everything(world, tmp_path):
    path = tmp_path / "region.xlsx"
    path.write_bytes(f.full(n_trainees=2))
    before = _counts()
    out = io.StringIO()
    call_command("import_onboarding", str(path), region="blekinge", dry_run=True, stdout=out)
    assert (
        "region.xlsx, fliken ST-läkare rad 2: Stina Lakare0 (st0@blekinge.test) – skapas"
        in out.getvalue()
    )
    assert "Provkörning: ingenting sparades." in out.getvalue()
    assert _counts() == before
    call_command(
        "import_onboarding", str(path), region="blekinge", by=world.regional_admin.email, stdout=out
    )
    assert "Klart: 1 enheter, 5 personer, 2 ST-läkare" in out.getvalue()
    assert Trainee.unscoped.filter(user__email="st1@blekinge.test").exists()


def test_command_refuses_and_keeps_nothing(world, tmp_path):
    rows = f.trainees(1)
    rows[0][6] = "i morgon"
    path = tmp_path / "st.xlsx"
    path.write_bytes(f.workbook(f.units(), f.people(), rows))
    before = _counts()
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 rader avvisas"):
        call_command(
            "import_onboarding",
            str(path),
            region="blekinge",
            by=world.regional_admin.email,
            stdout=out,
        )
    assert "kolumn ”Startdatum”: ”i morgon” är inget datum" in out.getvalue()
    assert _counts() == before


def test_a_confirmed_import_runs_once_however_often_it_is_picked_up(world, login):
    from regions.onboarding.services import run_one
    from regions.onboarding.tasks import run_onboarding

    client = login(world.regional_admin)
    _upload(client, ("region.xlsx", f.full(n_trainees=2)))
    checked = OnboardingImport.unscoped.get()
    client.post(f"{URL}{checked.pk}/bekrafta/")
    client.post(f"{URL}{checked.pk}/bekrafta/")  # a double click confirms nothing more
    run_onboarding.apply(args=(checked.pk, world.region.pk), throw=True)
    after = _counts()
    assert run_one(checked.pk) is None
    assert run_pending() == 0
    assert _counts() == after
    checked.refresh_from_db()
    assert checked.status == OnboardingImport.Status.DONE
    assert checked.summary["written"]["trainees"] == 2
    assert checked.files == []  # the names and addresses are not kept once run


def test_a_rerun_moves_a_trainee_to_a_new_main_supervisor_keeping_the_history(world, login):
    from django.utils import timezone

    client = login(world.regional_admin)
    _upload(client, ("region.xlsx", f.full(n_trainees=1, supervisors_per_unit=2)))
    _confirm_and_run(client, OnboardingImport.unscoped.get())
    rows = f.trainees(1, supervisors_per_unit=2)
    rows[0][11] = "hl0.1@blekinge.test"
    again = f.workbook(f.units(), f.people(supervisors_per_unit=2), rows)
    response = _upload(client, ("region.xlsx", again))
    assert "Huvudhandledare: hl0.1@blekinge.test" in response.text
    _confirm_and_run(client, OnboardingImport.unscoped.filter(status="checked").get())
    history = Assignment.unscoped.filter(
        trainee__user__email="st0@blekinge.test", role="main_supervisor"
    ).order_by("start_date")
    old, new = history
    today = timezone.localdate()
    assert (old.user.email, old.end_date) == ("hl0.0@blekinge.test", today - timedelta(days=1))
    assert (new.user.email, new.start_date, new.end_date) == ("hl0.1@blekinge.test", today, None)


def test_the_import_records_the_hsa_id_of_a_person_already_in_the_region(world, login):
    rows = [["SE2321000081-befint", world.supervisor.email, world.supervisor.first_name,
             world.supervisor.last_name, "Handledare", world.unit.name]]  # fmt: skip
    client = login(world.regional_admin)
    response = _upload(client, ("p.xlsx", f.workbook(people_rows=rows)))
    assert "0 rader skapas, 1 ändras" in response.text
    assert "HSA-id: SE2321000081-befint" in response.text
    _confirm_and_run(client, OnboardingImport.unscoped.get())
    world.supervisor.refresh_from_db()
    assert world.supervisor.hsa_id == "SE2321000081-befint"
    assert Membership.unscoped.filter(user=world.supervisor).count() == 1  # the role it had
    assert not OnboardingInvitation.unscoped.exists()  # an existing account is not invited


def test_an_hsa_id_and_an_address_of_two_different_people_are_refused(world, login):
    world.supervisor.hsa_id = "SE2321000081-hl9999"
    world.supervisor.save(update_fields=["hsa_id"])
    rows = [["SE2321000081-hl9999", world.study_director.email, "Sara", "Fel", "Handledare",
             world.unit.name]]  # fmt: skip
    response = _upload(login(world.regional_admin), ("p.xlsx", f.workbook(people_rows=rows)))
    assert "Rad 2, kolumn ”HSA-id”: HSA-id:t och e-postadressen hör till två olika personer" in (
        response.text
    )
    assert not OnboardingImport.unscoped.exists()


def test_a_colleague_from_another_region_is_recognised_by_hsa_id_only(world, elsewhere, login):
    colleague = elsewhere.supervisor
    colleague.hsa_id = "SE2321000081-hal001"
    colleague.save(update_fields=["hsa_id"])
    row = [
        colleague.email,
        colleague.first_name,
        colleague.last_name,
        "Handledare",
        world.unit.name,
    ]
    client = login(world.regional_admin)
    by_address = _upload(client, ("p.xlsx", f.workbook(people_rows=[["", *row]])))
    assert "finns redan utanför regionen" in by_address.text
    by_hsa = _upload(client, ("p.xlsx", f.workbook(people_rows=[[colleague.hsa_id, *row]])))
    assert "ny roll: Handledare (VC Norr blekinge)" in by_hsa.text
    _confirm_and_run(client, OnboardingImport.unscoped.get())
    assert Membership.unscoped.filter(user=colleague, region=world.region).exists()
    assert User.objects.filter(email=colleague.email).count() == 1
