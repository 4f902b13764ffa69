"""axe-core (WCAG 2.1 A and AA) on every main page of every role, with the CSP left strict."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from assessments import workflow
from assessments.models import Assessment
from inspections.models import Inspection
from regions.models import Region, Unit
from regions.tenancy import region_context
from tests.browser import axe
from trainees.models import Trainee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "st-demo-2026"
STYLED = "() => [...document.styleSheets].some((sheet) => sheet.cssRules.length > 0)"


@dataclass(frozen=True)
class Visit:
    """A page to check: opened by URL, then brought to the state to check (optional)."""

    url: str
    then: Callable | None = None


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def _expand(page) -> None:
    """Open every collapsed section (forms behind <details>), so axe sees them too."""
    # The header menu is open by CSS on a wide screen, its toggle hidden: only the page itself.
    closed = page.locator("main details:not([open]) > summary")
    for _ in range(closed.count()):
        closed.first.click()


def _lazy_sections(page) -> None:
    """Scroll the dashboard's lazily loaded sections into view and wait for them."""
    # The section, not the list, which is swapped in place once revealed.
    page.locator('section[aria-labelledby="risk-heading"]').scroll_into_view_if_needed()
    expect(page.locator("#risks table, #risks p").first).to_be_visible()
    expect(page.locator("#risks[hx-get]")).to_have_count(0)
    page.locator("#units-heading").scroll_into_view_if_needed()
    expect(page.locator("#units-table")).to_be_visible()
    page.locator("#supervisors-heading").scroll_into_view_if_needed()
    expect(page.locator("#supervisors-table")).to_be_visible()


def _submit_empty(button: str, clear: str = "") -> Callable:
    """Send the form without what it needs, to check the error messages too."""

    def submit(page) -> None:
        if clear:
            page.get_by_label(clear).fill("")
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("alert").first).to_be_visible()

    return submit


def _reauthenticate(page) -> None:
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Verifiera").click()
    expect(page.get_by_role("button", name="Intyga")).to_be_visible()


def _start_self_assessment(page) -> None:
    page.get_by_role("button", name="Gör en självvärdering").click()
    expect(page).to_have_url(re.compile(r"/granskningar/sjalvvardering/\d+/$"))


def _check(page, visits: list[Visit]) -> None:
    found = {}
    for visit in visits:
        response = page.goto(visit.url)
        assert response.ok, f"{visit.url}: HTTP {response.status}"
        if visit.then:
            visit.then(page)
        _expand(page)
        # Contrast is only judged right with the stylesheet applied.
        assert page.evaluate(STYLED), f"{visit.url}: no stylesheet"
        if violations := axe.violations(page):
            found[page.url] = axe.report(violations)
    assert not found, "\n\n".join(f"{url}\n{text}" for url, text in found.items())


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"region": "blekinge", **kwargs})


def _external_link() -> str:
    """A Mini-CEX requested from an assessor without an account: the link they are e-mailed."""
    trainee = Trainee.unscoped.select_related("region", "user").get(
        user__email="st2021b@blekinge.demo"
    )
    with region_context(trainee.region):
        _assessment, token = workflow.assessment_request(
            trainee=trainee,
            by=trainee.user,
            method=Assessment.Method.MINI_CEX,
            goal_codes=["STb1"],
            context="Akutmottagningen",
            assessor=None,
            assessor_name="Ulla Ek",
            assessor_email="ulla.ek@example.org",
            assessor_profession="Överläkare",
        )
    return reverse("assessment_links:token", kwargs={"token": token})


@pytest.fixture
def demo():
    call_command("seed_demo", quiet=True)
    region = Region.objects.get(slug="blekinge")
    sara = Trainee.unscoped.get(region=region, user__email="st2015@blekinge.demo")
    return {
        "sara": sara.pk,
        "assessment": Assessment.unscoped.filter(trainee=sara).order_by("pk").first().pk,
        "unit": Unit.unscoped.get(region=region, name="Vårdcentralen Ronneby").pk,
        "review": Inspection.unscoped.get(
            region=region, unit__name="Vårdcentralen Ronneby", kind="external_inspection"
        ).pk,
    }


def test_pages_before_logging_in(page, demo):
    visits = [
        Visit("/accounts/login/"),
        Visit("/accounts/login/", _wrong_password),
        Visit("/accounts/password/reset/"),
        Visit(_external_link()),
        Visit(_external_link(), _submit_empty("Skicka bedömningen")),
    ]
    _check(page, visits)


def _wrong_password(page) -> None:
    page.get_by_label("E-postadress").fill("st2015@blekinge.demo")
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text("felaktigt").first).to_be_visible()


def test_trainee_pages(page, demo):
    _log_in(page, "st2015@blekinge.demo")
    pk = demo["sara"]
    visits = [
        Visit("/"),
        Visit(_url("trainees:my_st")),
        Visit(_url("trainees:detail", pk=pk)),
        Visit(_url("supervision:meetings", pk=pk)),
        Visit(_url("supervision:meeting_new", pk=pk)),
        Visit(_url("supervision:meeting_new", pk=pk), _submit_empty("Spara", "Längd i minuter")),
        Visit(_url("assessments:list", pk=pk)),
        Visit(_url("assessments:list", pk=pk), _submit_empty("Skicka begäran")),
        Visit(_url("assessments:request_360", pk=pk)),
        Visit(_url("assessments:detail", pk=pk, assessment_pk=demo["assessment"])),
        Visit(_url("assessments:progress", pk=pk)),
        Visit(_url("assessments:history", pk=pk)),
        Visit(_url("trainees:iup", pk=pk)),
        Visit(_url("trainees:contract", pk=pk)),
        Visit(_url("trainees:rotation_new", pk=pk)),
        Visit(_url("trainees:activity_new", pk=pk)),
        Visit(_url("trainees:absence_new", pk=pk)),
        Visit(_url("trainees:certificates", pk=pk)),
        Visit(_url("trainees:certificate", pk=pk, key="ansokan")),
        Visit(reverse("notifications:list")),
        Visit(reverse("notifications:preferences")),
        Visit(reverse("mfa_index")),
    ]
    _check(page, visits)


def test_supervisor_pages(page, demo):
    _log_in(page, "hh@blekinge.demo")
    pk = demo["sara"]
    visits = [
        Visit("/"),
        Visit(_url("supervision:home")),
        Visit(_url("supervision:qualifications")),
        Visit(_url("trainees:detail", pk=pk)),
        Visit(_url("assessments:progress", pk=pk)),
        Visit(_url("assessments:signoff", pk=pk, goal="a2")),
        Visit(_url("assessments:signoff", pk=pk, goal="a2"), _reauthenticate),
        Visit(_url("supervision:yearly_new", pk=pk, kind="supervisor_statement")),
        Visit(_url("supervision:action_plan_new", pk=pk)),
    ]
    _check(page, visits)


def test_study_director_pages(page, demo):
    _log_in(page, "sr@blekinge.demo")
    visits = [
        Visit(_url("regions:study_director"), _lazy_sections),
        Visit(_url("regions:study_director_units")),
        Visit(_url("supervision:unit_supervisors")),
        Visit(_url("trainees:grant_requests")),
        Visit(_url("regions:unit_detail", pk=demo["unit"])),
        Visit(_url("trainees:detail", pk=demo["sara"])),
        Visit(_url("regions:rules")),
        Visit(_url("regions:rules_compare")),
    ]
    _check(page, visits)


def test_head_of_unit_pages(page, demo):
    _log_in(page, "vc@blekinge.demo")
    unit, review = demo["unit"], demo["review"]
    visits = [
        Visit(_url("regions:head_of_unit")),
        Visit(_url("inspections:overview")),
        Visit(_url("inspections:unit", pk=unit)),
        Visit(_url("inspections:new", pk=unit)),
        Visit(_url("inspections:new", pk=unit), _submit_empty("Spara")),
        Visit(_url("inspections:detail", pk=review)),
        Visit(_url("inspections:edit", pk=review)),
        Visit(_url("inspections:pack", pk=unit)),
        Visit(_url("inspections:unit", pk=unit), _start_self_assessment),
    ]
    _check(page, visits)


def test_regional_pages(page, demo):
    _log_in(page, "admin@blekinge.demo")
    visits = [
        Visit("/"),
        Visit(_url("regions:regional")),
        Visit(_url("trainees:enrol")),
        Visit(_url("trainees:assignments", pk=demo["sara"])),
    ]
    _check(page, visits)
