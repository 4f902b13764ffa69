"""The README's commands, in the order a new user runs them, on an empty database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# One process for the lot (each Django start costs seconds); every command
# still meets the database exactly as `migrate` left it, with no
# `createcachetable` in between.
SCRIPT = """
import sys, django
django.setup()
from django.core.management import call_command
var = sys.argv[1]
call_command("migrate", interactive=False, verbosity=0)
call_command("seed_demo", quiet=True)
call_command("export_portfolio", trainee="st2021@halland.demo", out=f"{var}/p.json")
call_command("obligations", f"{var}/p.json", on="2026-11-22")
call_command("certificate_packet", trainee="st2021@halland.demo", out=f"{var}/packet")
call_command("bench_reminders", trainees=10, units=4, events=10)
call_command("bench_engine", trainees=10, events=10, database=10)
print("ALL DONE")
"""


def test_documented_commands_work_on_an_empty_database_without_createcachetable(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE", "REDIS"))
    }
    env.update(DJANGO_SETTINGS_MODULE="stprogram.settings", STPROGRAM_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ALL DONE" in result.stdout
    assert "reminders.scan1_created" in result.stdout
    assert "database.trainees_per_second" in result.stdout
    assert any((tmp_path / "packet").glob("ansokan-*.pdf"))
