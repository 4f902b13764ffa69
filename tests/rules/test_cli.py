"""``obligations FILE --on DATE``: JSON on stdout, or exit 2 with messages and empty stdout."""

from __future__ import annotations

import io
import json
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from regions.rules.cli import run

EXAMPLE = Path(__file__).resolve().parent / "data" / "example_portfolio.json"


def _run(*argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run(list(argv), stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def _file(tmp_path: Path, content: str | dict) -> str:
    path = tmp_path / "portfolio.json"
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return str(path)


def _example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_prints_the_output_json() -> None:
    code, out, err = _run("obligations", str(EXAMPLE), "--on", "2027-03-01")
    assert (code, err) == (0, "")
    output = json.loads(out)
    assert (output["region"], output["on"], output["planned_end"]) == (
        "blekinge",
        "2027-03-01",
        "2031-08-08",
    )
    assert out.startswith('{\n  "region": "blekinge",')
    assert "Vårdcentralen" not in out  # names are input only


def test_non_ascii_is_written_as_is(tmp_path: Path) -> None:
    data = _example() | {"region": "norrbotten"}
    code, out, _ = _run("obligations", _file(tmp_path, data), "--on=2027-03-01")
    assert code == 0
    assert "Övergripande mål" in out


def test_on_defaults_to_today_in_sweden() -> None:
    code, out, _ = _run("obligations", str(EXAMPLE))
    assert code == 0
    assert json.loads(out)["on"] == datetime.now(tz=ZoneInfo("Europe/Stockholm")).date().isoformat()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", 'ogiltig JSON i "'),
        ({"format": "st-portfolio/1", "region": "gotland"}, 'region: okänd region "gotland"'),
        ({"format": "st-portfolio/1"}, "region: saknas"),
        (
            {"format": "st-portfolio/1", "region": "halland", "trainee": {"start": "2026-13-01"}},
            'trainee.start: ogiltigt datum "2026-13-01"',
        ),
    ],
)
def test_bad_input_exits_2_with_nothing_on_stdout(
    tmp_path: Path, content: str | dict, message: str
) -> None:
    code, out, err = _run("obligations", _file(tmp_path, content), "--on", "2027-03-01")
    assert (code, out) == (2, "")
    assert message in err


def test_all_key_errors_are_reported_one_per_line(tmp_path: Path) -> None:
    content = {"format": "st-portfolio/1", "region": "halland", "trainee": {}}
    code, out, err = _run("obligations", _file(tmp_path, content), "--on", "2027-03-01")
    assert (code, out) == (2, "")
    assert err.splitlines() == ["trainee.regulation: saknas", "trainee.start: saknas"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("obligations", str(EXAMPLE), "--on", "2027-02-30"), '--on: ogiltigt datum "2027-02-30"'),
        (("obligations", str(EXAMPLE), "--on"), "--on: datum saknas"),
        (("obligations", "/nonexistent/p.json"), 'kan inte läsa filen "/nonexistent/p.json"'),
        (("obligations",), "ange exakt en fil"),
        (("obligations", str(EXAMPLE), "--at", "2027-01-01"), "okänd flagga '--at'"),
        (("evaluate", str(EXAMPLE)), "okänt kommando 'evaluate'"),
    ],
)
def test_bad_arguments_exit_2(argv: tuple[str, ...], message: str) -> None:
    code, out, err = _run(*argv)
    assert (code, out) == (2, "")
    assert message in err


def _django_ready() -> bool:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stprogram.settings")
    try:
        import django

        django.setup()
    except Exception:
        return False
    return True


@pytest.mark.skipif(not _django_ready(), reason="Django-inställningarna går inte att läsa in än")
def test_management_command_is_the_same_cli(tmp_path: Path) -> None:
    from django.core.management import call_command

    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("obligations", str(EXAMPLE), on="2027-03-01", stdout=stdout, stderr=stderr)
    _, expected, _ = _run("obligations", str(EXAMPLE), "--on", "2027-03-01")
    assert stdout.getvalue() == expected
    bad = _file(tmp_path, "[")
    with pytest.raises(SystemExit) as caught:
        call_command("obligations", bad, on="2027-03-01", stdout=stdout, stderr=stderr)
    assert caught.value.code == 2
    assert "ogiltig JSON" in stderr.getvalue()
