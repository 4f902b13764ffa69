"""Whole journeys across roles, each person logging in through the login form."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pypdf
import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from trainees.tasks import render_pending_packets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "st-demo-2026"


@pytest.fixture
def log_in(browser, live_server):
    """A browser of its own for each person, logged in through the form when given an e-mail."""
    contexts = []

    def session(email: str | None = None):
        context = browser.new_context(base_url=live_server.url, locale="sv-SE")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if email:
            page.goto("/accounts/login/")
            page.get_by_label("E-postadress").fill(email)
            page.get_by_label("Lösenord").fill(PASSWORD)
            page.get_by_role("button", name="Logga in").click()
            expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
        return page

    yield session
    for context in contexts:
        context.close()


def _risk_reasons(page, name: str):
    # The list loads when scrolled into view, as a study director reading down would.
    # The section, not the list: the list is swapped in place once revealed, and may
    # already be on its way in (a reload keeps the scroll position).
    page.locator('section[aria-labelledby="risk-heading"]').scroll_into_view_if_needed()
    risks = page.get_by_role("table", name="ST-läkare i riskzonen och varför")
    return risks.get_by_role("row").filter(has_text=name)


def test_meeting_mini_cex_and_sign_off_reach_the_study_directors_dashboard(
    log_in, live_server, settings, mailoutbox
):
    call_command("seed_demo", quiet=True)
    settings.SITE_URL = live_server.url
    director = log_in("sr@blekinge.demo")
    director.goto("/blekinge/studierektor/")
    erik = _risk_reasons(director, "Erik Nyström")
    expect(erik).to_contain_text("Inget handledarsamtal på 8 veckor")
    expect(erik).to_contain_text("Inget delmål intygat på 6 månader")

    trainee = log_in("st2021b@blekinge.demo")
    trainee.get_by_role("link", name="Logga handledarsamtal").first.click()
    trainee.get_by_label("Längd i minuter").fill("30")
    trainee.get_by_label("Ämnen").fill("Samtal med anhöriga")
    trainee.get_by_role("button", name="Spara").click()
    expect(trainee.get_by_text("Handledarsamtalet är loggat.")).to_be_visible()

    trainee.get_by_role("link", name="Min ST").click()
    trainee.get_by_role("link", name="Bedömningar", exact=True).click()
    trainee.get_by_label("Metod").select_option(label="Mini-CEX")
    # The goals are grouped and folded; the search box finds one and opens its group.
    trainee.get_by_label("Sök bland delmålen").fill("STb1")
    trainee.get_by_label("STb1 Kommunikation med patienter och närstående").check()
    trainee.get_by_label("eller: bedömarens namn").fill("Ulla Ek")
    trainee.get_by_label("Bedömarens e-postadress").fill("ulla.ek@example.org")
    trainee.get_by_label("Bedömarens yrke").fill("Överläkare")
    trainee.get_by_role("button", name="Skicka begäran").click()
    expect(
        trainee.get_by_text("Länk skickad till ulla.ek@example.org.", exact=True)
    ).to_be_visible()

    [mail] = mailoutbox
    assert mail.to == ["ulla.ek@example.org"]
    link = re.search(r"http\S+/bedomning/\S+/", mail.body).group(0)
    assessor = log_in()
    assessor.goto(link)
    expect(assessor.get_by_role("heading", level=1)).to_have_text("Mini-CEX: Erik Nyström")
    assessor.get_by_label("Datum för bedömningen").fill(timezone.localdate().isoformat())
    assessor.get_by_label("Miljö").fill("Psykiatrisk akutmottagning")
    assessor.get_by_label("Patientens problem eller diagnos").fill("Akut förvirring")
    assessor.get_by_label("Fokus").select_option(label="Anamnes")
    assessor.get_by_label("Svårighetsgrad").select_option(label="Medel")
    for item in (
        "Anamnes",
        "Undersökning",
        "Professionellt förhållningssätt",
        "Klinisk bedömning",
        "Kommunikation och rådgivning",
        "Organisation och effektivitet",
        "Sammantagen klinisk kompetens",
    ):
        assessor.get_by_label(re.compile("^" + re.escape(item))).select_option("6")
    assessor.get_by_label("Vad gick bra").fill("Lugnt och tydligt bemötande.")
    assessor.get_by_label("Vad kan förbättras").fill("Sammanfatta oftare för de anhöriga.")
    assessor.get_by_role("button", name="Skicka bedömningen").click()
    expect(assessor.get_by_text("Bedömningen är mottagen. Länken är nu förbrukad.")).to_be_visible()

    supervisor = log_in("hh@blekinge.demo")
    # Karin also supervises a guest rotation from Halland, so she picks the region first.
    supervisor.get_by_role("main").get_by_role("link", name="Region Blekinge").click()
    queue = supervisor.locator("#queue")
    queued = queue.get_by_role("link", name=re.compile(r"^Mini-CEX – Erik Nyström"))
    expect(queued).to_be_visible()
    # An assessment filled in through the e-mailed link counts once the main
    # supervisor has signed it (issue 17, finding 8).
    queued.click()
    supervisor.get_by_role("link", name="Underteckna").click()
    # Signing asks for the password again, however recent the login.
    supervisor.get_by_label("Lösenord").fill(PASSWORD)
    supervisor.get_by_role("button", name="Verifiera").click()
    supervisor.get_by_role("button", name="Underteckna").click()
    expect(supervisor.get_by_text("Bedömningen är undertecknad och låst.")).to_be_visible()
    supervisor.get_by_role("link", name="← Bedömningar").click()
    supervisor.get_by_role("link", name="← Erik Nyström").click()
    supervisor.get_by_role("link", name="Delmål", exact=True).click()
    supervisor.get_by_role("link", name="Intyga STb1").click()
    supervisor.get_by_label(re.compile(r"^Mini-CEX")).check()
    supervisor.get_by_role("button", name="Intyga").click()
    expect(supervisor.get_by_text("Delmålet är intygat.")).to_be_visible()
    goal = supervisor.get_by_role("row").filter(has_text="STb1")
    expect(goal).to_contain_text("Intygat Karin Holm")

    director.reload()
    erik = _risk_reasons(director, "Erik Nyström")
    expect(erik).to_be_visible()
    expect(erik).not_to_contain_text("Inget handledarsamtal på 8 veckor")
    expect(erik).not_to_contain_text("Inget delmål intygat på 6 månader")


def test_head_of_unit_records_a_review_and_a_finding(log_in):
    call_command("seed_demo", quiet=True)
    today = timezone.localdate()
    head = log_in("vc@blekinge.demo")
    head.get_by_role("link", name="Granskningar", exact=True).click()
    head.get_by_role("link", name="Vårdcentralen Karlshamn").first.click()
    head.get_by_role("link", name="Planera eller registrera en extern granskning").click()
    head.get_by_label("Genomförd").fill((today - timedelta(days=3)).isoformat())
    head.get_by_label("Inspektörer").fill("Anna Granskare, Bo Inspektör")
    head.get_by_label("Sammanfattning").fill("Väl fungerande handledning.")
    head.get_by_role("button", name="Spara").click()
    expect(head.get_by_text("Granskningen är sparad.")).to_be_visible()
    expect(head.get_by_role("heading", level=1)).to_have_text(
        "Extern granskning (SPUR): Vårdcentralen Karlshamn"
    )

    head.get_by_text("Lägg till ett fynd").click()
    finding = head.locator("form").filter(has=head.get_by_role("button", name="Spara fyndet"))
    finding.get_by_label("Typ").select_option(label="Brist")
    finding.get_by_label("Område").select_option("supervision")
    finding.get_by_label("Allvarlighet").select_option(label="Betydande")
    finding.get_by_label("Beskrivning").fill("Handledarna saknar avsatt tid för handledning.")
    finding.get_by_role("button", name="Spara fyndet").click()
    expect(head.get_by_text("Fyndet är sparat.")).to_be_visible()
    findings = head.get_by_role("table", name="Brister och rekommendationer")
    expect(findings.get_by_role("row").filter(has_text="Brist")).to_contain_text(
        "Handledarna saknar avsatt tid för handledning."
    )

    head.get_by_role("link", name="Verksamhetschef").click()
    countdown = head.get_by_role("table", name="Nedräkning till nästa granskning per enhet")
    row = (
        countdown.get_by_role("row")
        .filter(has_text="Vårdcentralen Karlshamn")
        .filter(has_text="Extern granskning")
    )
    performed = today - timedelta(days=3)
    expect(row).to_contain_text(performed.isoformat())
    expect(row).to_contain_text((performed + relativedelta(years=5)).isoformat())


def test_trainee_downloads_the_application_packet_as_a_pdf(log_in):
    call_command("seed_demo", quiet=True)
    trainee = log_in("st2015@blekinge.demo")
    trainee.get_by_role("link", name="Intygsutkast").click()
    trainee.get_by_role("button", name=re.compile(r"^Skapa")).click()
    expect(trainee.get_by_text("Ansökan med bilagor skapas.")).to_be_visible()

    # The worker's periodic scan, run here rather than waited for.
    assert render_pending_packets() == 1
    download = trainee.get_by_role("link", name=re.compile(r"^Ladda ner PDF"))
    expect(download).to_be_visible()
    response = trainee.request.get(download.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.body()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert re.search(r"Efternamn\s+Lind\s+Förnamn\s+Sara", text)
    assert len(reader.pages) > 1
