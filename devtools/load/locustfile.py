"""Locust users for ``manage.py bench_load``: trainees and study directors of one region.

Read from the environment: LOAD_MANIFEST (the personas and what they may
open, written by `devtools.bench.load_seed`), LOAD_DURATION (seconds to
measure) and LOAD_RESULTS (where the figures go as JSON).

Each user logs in once through allauth's form. Password hashing is slow on
purpose, so the page figures are reset when the last user has logged in and
measured for LOAD_DURATION seconds from then; the logins are reported apart.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment

MANIFEST = json.loads(Path(os.environ["LOAD_MANIFEST"]).read_text())
REGION = MANIFEST["region"]
LOGIN = "login"
PERCENTILES = {"p50_ms": 0.50, "p95_ms": 0.95, "p99_ms": 0.99}
_STATE: dict[str, Any] = {"logged_in": 0, "measuring_since": None, "login": None}
_TRAINEES = itertools.count()
_DIRECTORS = itertools.count()


def form_value(html: str, name: str) -> str:
    """The value of the named <input> in a page (the CSRF token, a form's initial date)."""
    tag = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0)) if tag else None
    return value.group(1) if value else ""


class Persona(HttpUser):
    """A user who logs in through the real form, then browses with a busy person's pace."""

    abstract = True
    wait_time = between(0.5, 2.0)

    def log_in(self, email: str) -> None:
        page = self.client.get("/accounts/login/", name=f"{LOGIN} (formulär)")
        data = {
            "login": email,
            "password": MANIFEST["password"],
            "csrfmiddlewaretoken": form_value(page.text, "csrfmiddlewaretoken"),
        }
        with self.client.post(
            "/accounts/login/", data=data, name=LOGIN, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302 or "/accounts/" in response.headers.get("Location", ""):
                response.failure(f"inloggningen misslyckades ({response.status_code})")
        _logged_in(self.environment)

    def region_get(self, path: str, name: str, **kwargs: Any) -> Any:
        """GET a page of the region; landing on the login form instead is an error."""
        with self.client.get(
            f"/{REGION}/{path}", name=name, catch_response=True, **kwargs
        ) as response:
            if "/accounts/login/" in (response.url or ""):
                response.failure("utloggad: hamnade på inloggningssidan")
        return response


class Trainee(Persona):
    """A trainee: Min ST, their programme, their supervision meetings."""

    weight = 3

    def on_start(self) -> None:
        email, self.pk = MANIFEST["trainees"][next(_TRAINEES) % len(MANIFEST["trainees"])]
        self.log_in(email)

    @task(4)
    def min_st(self) -> None:
        self.region_get("min-st/", "min-st")

    @task(2)
    def programme(self) -> None:
        self.region_get(f"st/{self.pk}/", "st (egen)")

    @task(1)
    def iup(self) -> None:
        self.region_get(f"st/{self.pk}/iup/", "st-iup (egen)")

    @task(2)
    def meetings(self) -> None:
        self.region_get(f"st/{self.pk}/handledning/", "handledning")

    @task(1)
    def log_meeting(self) -> None:
        form = self.region_get(f"st/{self.pk}/handledning/ny/", "handledning-ny")
        if form.status_code != 200:
            return  # already counted as an error; posting without the form's token would 403
        data = {
            "csrfmiddlewaretoken": form_value(form.text, "csrfmiddlewaretoken"),
            "date": form_value(form.text, "date"),
            "minutes": "45",
            "topics": "Belastningstest",
            "agreed_actions": "",
        }
        with self.client.post(
            f"/{REGION}/st/{self.pk}/handledning/ny/",
            data=data,
            name="handledning-ny (spara)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if not response.headers.get("Location", "").endswith(f"/st/{self.pk}/handledning/"):
                response.failure(f"samtalet sparades inte ({response.status_code})")


class StudyDirector(Persona):
    """A study director over the whole region: the dashboard, units, a trainee, the region."""

    weight = 1
    SORTS = ("namn", "enhet", "start", "forsenade")

    def on_start(self) -> None:
        self.log_in(MANIFEST["directors"][next(_DIRECTORS) % len(MANIFEST["directors"])])

    @task(3)
    def dashboard(self) -> None:
        params = {"sortering": random.choice(self.SORTS)}
        if random.random() < 0.3:
            params["status"] = "overdue"
        if random.random() < 0.3:
            params["enhet"] = str(random.choice(MANIFEST["unit_pks"]))
        self.region_get("studierektor/", "studierektor", params=params)
        # The risk list, which the page loads once it is scrolled into view.
        self.region_get(
            "studierektor/riskzon/",
            "studierektor-riskzon",
            params=params,
            headers={"HX-Request": "true"},
        )

    @task(2)
    def dashboard_page(self) -> None:
        params = {
            "sortering": random.choice(self.SORTS),
            "sida": random.randint(1, MANIFEST["pages"]),
        }
        self.region_get(
            "studierektor/",
            "studierektor (htmx-sida)",
            params=params,
            headers={"HX-Request": "true"},
        )

    @task(1)
    def units(self) -> None:
        self.region_get("studierektor/enheter/", "studierektor-enheter")

    @task(2)
    def trainee(self) -> None:
        self.region_get(f"st/{random.choice(MANIFEST['trainee_pks'])}/", "st (studierektor)")

    @task(1)
    def region(self) -> None:
        self.region_get("region/", "region")


def _logged_in(environment: Environment) -> None:
    """Count a finished login; after the last, keep the login figures and start measuring."""
    _STATE["logged_in"] += 1
    if _STATE["logged_in"] != environment.parsed_options.num_users:
        return
    _STATE["login"] = _entry(environment.stats.get(LOGIN, "POST"))
    environment.stats.reset_all()
    _STATE["measuring_since"] = time.monotonic()
    _STATE["started_at"] = time.time()
    gevent.spawn_later(float(os.environ["LOAD_DURATION"]), _finish, environment)


def _finish(environment: Environment) -> None:
    """Write the figures of the measured window, then stop locust."""
    _write(environment)
    environment.runner.quit()


@events.quitting.add_listener
def _on_quitting(environment: Environment, **_kwargs: Any) -> None:
    if not Path(os.environ["LOAD_RESULTS"]).exists():
        _write(environment)


def _write(environment: Environment) -> None:
    since = _STATE["measuring_since"]
    window = time.monotonic() - since if since else None
    stats = environment.stats
    pages = {e.name: _entry(e) for e in stats.entries.values() if not e.name.startswith(LOGIN)}
    figures = {
        "complete": since is not None,
        "users": environment.parsed_options.num_users,
        "logged_in": _STATE["logged_in"],
        "window_seconds": round(window, 1) if window else None,
        # Wall-clock bounds, for the CPU time gunicorn spent in the window.
        "window": [_STATE["started_at"], time.time()] if window else None,
        "rps": round(sum(p["count"] for p in pages.values()) / window, 1) if window else None,
        "login": _STATE["login"] or _entry(stats.get(LOGIN, "POST")),
        "pages": dict(sorted(pages.items())),
        "errors": [
            {"name": e.name, "error": str(e.error), "count": e.occurrences}
            for e in stats.errors.values()
        ],
    }
    Path(os.environ["LOAD_RESULTS"]).write_text(json.dumps(figures))


def _entry(entry: Any) -> dict[str, Any]:
    return {
        "count": entry.num_requests,
        "errors": entry.num_failures,
        **{k: entry.get_response_time_percentile(p) for k, p in PERCENTILES.items()},
    }
