"""Portfolio export and import: a round trip is lossless; a bad file writes nothing."""

from __future__ import annotations

import copy
import importlib
import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from obligations.facts import evaluate_trainee
from regions.models import Region
from trainees.models import Absence, Activity, HistoricalEvent, Rotation, Trainee
from trainees.portfolio import export_portfolio, portfolio_for

COUNTED = (Trainee, Rotation, Absence, Activity, HistoricalEvent)


@pytest.fixture
def demo(db):
    call_command("seed_demo", quiet=True)


def _export(email: str, region: str | None = None) -> dict:
    out = StringIO()
    args = ["--trainee", email] + (["--region", region] if region else [])
    call_command("export_portfolio", *args, stdout=out)
    return json.loads(out.getvalue())


def _counts() -> list[int]:
    return [m.unscoped.count() for m in COUNTED]


def _import(path, *args: str) -> tuple[int, str]:
    err = StringIO()
    try:
        call_command("import_portfolio", str(path), *args, stderr=err, stdout=StringIO())
    except SystemExit as exit_:
        return exit_.code, err.getvalue()
    return 0, err.getvalue()


@pytest.mark.parametrize("email", ["st2015@blekinge.demo", "st2021@halland.demo"])
def test_export_import_export_gives_the_same_document(demo, tmp_path, email):
    first = _export(email)
    assert len(first["events"]) >= 6
    path = tmp_path / "p.json"
    path.write_text(json.dumps(first, ensure_ascii=False))
    region = first["region"]
    code, err = _import(path, "--region", region, "--trainee", "ny.st@example.test")
    assert code == 0, err
    second = _export("ny.st@example.test")
    # The new trainee has no main supervisor yet; everything else is identical.
    first.pop("supervisor")
    assert second == first


def test_import_refuses_to_overwrite_without_replace(demo, tmp_path):
    doc = _export("st2015@blekinge.demo")
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc))
    before = _counts()
    code, err = _import(path, "--region", "blekinge", "--trainee", "st2015@blekinge.demo")
    assert code == 2
    assert "--replace" in err
    assert _counts() == before
    code, _err = _import(
        path, "--region", "blekinge", "--trainee", "st2015@blekinge.demo", "--replace"
    )
    assert code == 0
    assert _export("st2015@blekinge.demo") == doc


BASE = {
    "format": "st-portfolio/1",
    "region": "blekinge",
    "trainee": {
        "regulation": "HSLF-FS 2021:8",
        "specialty": "allmänmedicin",
        "start": "2026-01-12",
        "bt_end": "2026-12-31",
    },
    "events": [{"type": "supervision", "date": "2026-02-10", "minutes": 60}],
    "unit": {"name": "Vårdcentralen Ronneby"},
}


def _mutate(change):
    doc = copy.deepcopy(BASE)
    change(doc)
    return doc


MALFORMED = {
    "wrong type for extent": (
        lambda d: d["trainee"].update(extent_percent="full"),
        "trainee.extent_percent",
    ),
    "unknown region": (lambda d: d.update(region="skane"), "region"),
    "bad date": (lambda d: d["trainee"].update(start="2026-02-30"), "trainee.start"),
    "bad event date": (lambda d: d["events"][0].update(date="10/2/2026"), "events[0].date"),
    "missing start": (lambda d: d["trainee"].pop("start"), "trainee.start"),
    "missing format": (lambda d: d.pop("format"), "format"),
    "events not a list": (lambda d: d.update(events={"a": 1}), "events"),
    "bt_end for 2015": (lambda d: d["trainee"].update(regulation="SOSFS 2015:8"), "trainee.bt_end"),
    "unknown unit": (lambda d: d["unit"].update(name="Finns inte"), "unit.name"),
    "bad registered date": (
        lambda d: d["events"].append(
            {"type": "rotation", "start": "2027-02-01", "end": "2027-04-30", "registered": "i går"}
        ),
        "events[1].registered",
    ),
    "negative minutes": (lambda d: d["events"][0].update(minutes=-30), "events[0].minutes"),
    "unknown specialty": (
        lambda d: d["trainee"].update(specialty="astrologi"),
        "trainee.specialty",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_portfolio_exits_2_and_writes_nothing(demo, tmp_path, case):
    change, key = MALFORMED[case]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_mutate(change), ensure_ascii=False))
    before = _counts()
    code, err = _import(path, "--region", "blekinge", "--trainee", "ny@example.test")
    assert code == 2
    assert key in err
    assert _counts() == before


def test_invalid_json_and_unknown_target_region(demo, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "st-portfolio/1",')
    before = _counts()
    code, err = _import(path, "--region", "blekinge", "--trainee", "ny@example.test")
    assert code == 2
    assert "ogiltig JSON" in err
    path.write_text(json.dumps(BASE))
    code, err = _import(path, "--region", "atlantis", "--trainee", "ny@example.test")
    assert code == 2
    assert "--region" in err
    assert _counts() == before


def test_import_never_attaches_a_trainee_to_someone_elses_account(demo, tmp_path):
    """A Halland trainee's account holding the address gets no Blekinge trainee record."""
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(BASE, ensure_ascii=False))
    before = _counts()
    code, err = _import(path, "--region", "blekinge", "--trainee", "st2021@halland.demo")
    assert code == 2
    assert "finns redan ett konto" in err
    assert _counts() == before
    assert not Trainee.unscoped.filter(region__slug="blekinge", user__email="st2021@halland.demo")


def test_a_valid_import_creates_the_trainee_and_history(demo, tmp_path):
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(BASE, ensure_ascii=False))
    code, err = _import(path, "--region", "blekinge", "--trainee", "ny@example.test")
    assert code == 0, err
    trainee = Trainee.unscoped.get(user__email="ny@example.test")
    assert trainee.home_unit.name == "Vårdcentralen Ronneby"
    assert HistoricalEvent.unscoped.get(trainee=trainee).data == {"minutes": 60}


def test_the_trainee_downloads_their_own_portfolio_only(demo, client):
    from stprogram.models import User

    me = Trainee.unscoped.get(user__email="st2015@blekinge.demo")
    other = Trainee.unscoped.get(user__email="bt@blekinge.demo")
    client.force_login(User.objects.get(email="st2015@blekinge.demo"))
    response = client.get(f"/blekinge/st/{me.pk}/portfolj.json")
    assert response.status_code == 200
    assert json.loads(response.content) == export_portfolio(me)
    assert client.get(f"/blekinge/st/{other.pk}/portfolj.json").status_code == 404
    client.force_login(User.objects.get(email="sr@blekinge.demo"))
    assert client.get(f"/blekinge/st/{me.pk}/portfolj.json").status_code == 404


def test_regions_unchanged_by_imports(demo):
    assert Region.objects.count() == 5


def test_a_rotation_planned_ahead_is_known_from_its_registration(demo, tmp_path):
    """Spec 1.1: contact and a named supervisor are open, and reminded, before they fall due."""
    doc = copy.deepcopy(BASE)
    doc["events"].append(
        {
            "type": "rotation",
            "start": "2027-02-01",
            "end": "2027-04-30",
            "unit": "Barnkliniken",
            "external": True,
            "supervisor_named": False,
            "registered": "2026-06-15",
        }
    )
    path = tmp_path / "ahead.json"
    path.write_text(json.dumps(doc, ensure_ascii=False))
    code, err = _import(path, "--region", "blekinge", "--trainee", "ny@example.test")
    assert code == 0, err
    trainee = Trainee.unscoped.get(user__email="ny@example.test")
    assert Rotation.unscoped.get(trainee=trainee).registered == date(2026, 6, 15)
    exported = _export("ny@example.test")
    assert exported["events"][-1]["registered"] == "2026-06-15"
    evaluation = evaluate_trainee(trainee, on=date(2026, 7, 1))
    ahead = {o.code: (o.due, o.status) for o in evaluation.obligations if o.period}
    assert ahead["rotation_contact"] == (date(2026, 11, 1), "open")
    assert ahead["rotation_supervisor"] == (date(2027, 2, 1), "open")
    # Before it was registered nothing is known about it.
    before = evaluate_trainee(trainee, on=date(2026, 6, 14))
    assert not [o for o in before.obligations if o.code.startswith("rotation_")]


def test_a_rotation_entered_after_its_start_is_known_from_its_start(demo):
    trainee = Trainee.unscoped.get(user__email="st2015@blekinge.demo")
    rotation = Rotation.unscoped.filter(trainee=trainee).first()
    Rotation.unscoped.filter(pk=rotation.pk).update(registered=rotation.start + timedelta(days=40))
    event = next(e for e in portfolio_for(trainee).events if e.type == "rotation")
    assert (event.start, event.registered) == (rotation.start, None)


def test_the_migration_dates_existing_rotations_by_their_creation(demo):
    from django.apps import apps
    from django.utils import timezone

    migration = importlib.import_module("trainees.migrations.0005_rotation_registered")
    Rotation.unscoped.update(registered=None)
    migration.registered_when_created(apps, None)
    for rotation in Rotation.unscoped.all():
        assert rotation.registered == timezone.localdate(rotation.created_at)
