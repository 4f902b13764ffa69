"""Every URL of the product against every persona: the answer is the one designed.

The matrix itself is data, in tests/access_matrix.py; the world behind it is
built once (tests/access_scene.py) and every request is rolled back. A URL
added without a row there fails `test_every_url_has_a_row_and_an_entry`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stprogram import health
from tests.access_matrix import (
    ADMIN_OPEN,
    ALLAUTH_ANONYMOUS,
    COLUMNS,
    OUTSIDERS,
    PERSONAS_OF_COLUMN,
    REQUESTS,
    Request,
    answer_of,
    answers,
    ask,
    filled,
    none,
)
from tests.access_scene import Scene, build_scene


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Scene]:
    """Built once for the module and rolled back at its end; each request is rolled back too."""
    media = tmp_path_factory.mktemp("private")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        yield build_scene()
        transaction.set_rollback(True)


def url_names() -> Iterator[tuple[str, str]]:
    """(name, route) of every URL pattern, through includes and namespaces."""

    def walk(patterns: list, prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(n for n in (namespace, pattern.namespace) if n)
                yield from walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                name = ":".join(n for n in (namespace, pattern.name) if n) if pattern.name else ""
                yield name, route

    yield from walk(get_resolver().url_patterns, "", "")


def _row(by_persona: dict[str, str]) -> str:
    """Answers per persona in the matrix's columns (a column whose personas differ shows all)."""
    cells = []
    for column in COLUMNS:
        seen = list(dict.fromkeys(by_persona[p] for p in PERSONAS_OF_COLUMN[column]))
        cells.append("/".join(seen))
    return " ".join(cells)


EXPECTED = answers()
THIRD_PARTY = ("admin/", "accounts/")


def test_every_url_has_a_row_and_an_entry():
    project = {name: route for name, route in url_names() if not route.startswith(THIRD_PARTY)}
    missing = [
        f"{name or '(unnamed)'} -> /{route}"
        for name, route in project.items()
        if name not in EXPECTED or name not in REQUESTS
    ]
    assert not missing, (
        "URLs without a row in ANSWERS and an entry in REQUESTS (tests/access_matrix.py):\n"
        + "\n".join(missing)
    )
    assert set(EXPECTED) == set(REQUESTS) == set(project), "rows or entries for URLs that are gone"


def _check(scene: Scene, url: str, request: Request, expected: dict[str, str], fresh: bool):
    responses = {p: ask(scene, url, request, p, fresh=fresh) for p in expected}
    actual = {persona: answer_of(r) for persona, r in responses.items()}
    assert actual == expected, (
        f"{request.method} {url} ({'fresh' if fresh else 'stale'} sessions)\n"
        f"columns   {' '.join(COLUMNS)}\n"
        f"expected  {_row(expected)}\n"
        f"actual    {_row(actual)}"
    )
    for persona, response in responses.items():
        if persona in OUTSIDERS and response.status_code == 404:
            body = response.content.decode(errors="replace")
            leaked = [s for s in scene.secrets if s in body]
            assert not leaked, f"{persona} reads {leaked} on {url}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_access(scene: Scene, name: str):
    request = REQUESTS[name]
    url = reverse(name, kwargs=request.kwargs(scene))
    if name == "healthz":
        health.beat_record()  # a running scheduler; without one /healthz answers 503
    expected = EXPECTED[name]
    _check(scene, url, request, expected, fresh=True)
    if request.fresh:
        # Without a recent re-authentication, whoever may go ahead is asked to log in
        # again; everyone else gets the same answer, since access is checked first.
        stale = {
            p: "reauth" if answer in ("200", "302") and p != "anonymous" else answer
            for p, answer in expected.items()
        }
        _check(scene, url, request, stale, fresh=False)


def _third_party(prefix: str) -> list[tuple[str, str]]:
    return [
        (name or filled(route), filled(route))
        for name, route in url_names()
        if route.startswith(prefix)
    ]


@pytest.mark.django_db
def test_admin_sends_everyone_without_staff_status_to_its_login(scene: Scene):
    wrong = []
    for name, path in _third_party("admin/"):
        for persona in ("anonymous", "trainee", "regional_admin", "elsewhere_regional_admin"):
            response = ask(scene, path, Request(none), persona)
            expected = ADMIN_OPEN.get(name, "302")
            actual = answer_of(response)
            to_login = name in ADMIN_OPEN or response["Location"].startswith("/admin/login/")
            if actual != expected or not to_login:
                wrong.append(f"{persona} {path}: {actual} {response.get('Location', '')}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_allauth_pages_are_public_or_ask_for_a_login(scene: Scene):
    wrong = []
    for name, path in _third_party("accounts/"):
        anonymous = answer_of(ask(scene, path, Request(none), "anonymous"))
        if anonymous != ALLAUTH_ANONYMOUS.get(name, "login"):
            wrong.append(f"anonymous {path}: {anonymous}")
        for persona in ("trainee", "elsewhere_regional_admin"):
            status = ask(scene, path, Request(none), persona).status_code
            if status >= 500 or status == 403:
                wrong.append(f"{persona} {path}: {status}")
    assert not wrong, "\n".join(wrong)
