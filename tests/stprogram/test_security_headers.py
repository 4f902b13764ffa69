"""Security headers on real pages: a strict CSP with nonces, no framing, no sniffing."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from tests.conftest import reauthenticated

ROOT = Path(settings.BASE_DIR)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def _pages(world, login, client):
    yield "login", client.get("/accounts/login/")
    yield "min-st", login(world.trainee.user).get("/blekinge/min-st/")
    yield "dashboard", login(world.study_director).get("/blekinge/studierektor/")
    yield "handledare", login(world.supervisor).get("/blekinge/handledare/")
    yield "mfa", reauthenticated(login(world.supervisor)).get("/accounts/2fa/totp/activate/")


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_pages_have_a_strict_csp_and_every_script_carries_the_nonce(world, login, client):
    for name, response in _pages(world, login, client):
        assert response.status_code == 200, name
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy, name
        assert "unsafe-eval" not in policy, name
        directives = _directives(response)
        nonces = [v for v in directives["script-src"] if v.startswith("'nonce-")]
        assert len(nonces) == 1, name
        nonce = nonces[0][len("'nonce-") : -1]
        scripts = SCRIPT_TAG.findall(response.text)
        assert scripts, name
        assert all(f'nonce="{nonce}"' in tag for tag in scripts), (name, scripts)
        assert directives["frame-ancestors"] == ["'none'"], name
        assert directives["object-src"] == ["'none'"], name
        assert not INLINE_STYLE.search(response.text), name
        assert not INLINE_HANDLER.search(response.text), name


def test_each_response_gets_a_fresh_nonce(client, db):
    first = _directives(client.get("/accounts/login/"))["script-src"]
    second = _directives(client.get("/accounts/login/"))["script-src"]
    assert first != second


def test_pages_cannot_be_framed_or_sniffed_and_leak_no_referrer(world, login):
    response = login(world.trainee.user).get("/blekinge/min-st/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def _project_templates() -> list[Path]:
    folders = [ROOT / "templates"] + [
        ROOT / app / "templates"
        for app in ("stprogram", "regions", "trainees", "supervision", "assessments", "inspections")
    ]
    # E-mails are not under the page's CSP, and mail programs need inline styles.
    return [
        path
        for folder in folders
        for path in folder.rglob("*.html")
        if (ROOT / "templates" / "emails") not in path.parents
    ]


def test_templates_have_no_inline_styles_handlers_or_scripts_without_a_nonce():
    templates = _project_templates()
    assert len(templates) > 50
    offenders = []
    for path in templates:
        text = path.read_text()
        if INLINE_STYLE.search(text) or INLINE_HANDLER.search(text):
            offenders.append(str(path.relative_to(ROOT)))
        for tag in SCRIPT_TAG.findall(text):
            if 'nonce="{{ csp_nonce }}"' not in tag:
                offenders.append(f"{path.relative_to(ROOT)}: {tag}")
    assert offenders == []
