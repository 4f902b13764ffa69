"""Sources are cited by the guideline's owner, title and section, never by a seed file name."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import translation

from obligations.citations import cite
from stprogram.reminders import outbox
from tests.stprogram.test_reminders import CONTRACT_DUE, at, contract_mails

BLEKINGE = "Region Blekinge, Gemensam organisation för ST/AT-läkare i Landstinget Blekinge"
HALLAND = "Region Halland, Specialisttjänstgöring (ST) för läkare – Roller, ansvar och"


def test_a_citation_names_owner_title_and_section_and_links_to_the_rule(db):
    citation = cite("000_78535177efd85ec7.txt §2.6", "rotation_feedback")
    assert citation.text == f"{BLEKINGE}, avsnitt 2.6 Kvalitetsgranskning"
    assert citation.url == "/blekinge/regler/#regel-rotation_feedback"
    named = cite("001_6c26e9e13ad81653.txt Ansvarsfördelning, Handledare")
    assert named.text.endswith("avsnittet ”Ansvarsfördelning, Handledare”")
    with translation.override("en"):
        english = cite("000_78535177efd85ec7.txt §2.6").text
    assert english.endswith("section 2.6 Kvalitetsgranskning")


def test_contract_and_iup_pages_cite_the_document_with_a_link_to_the_rule(world, login):
    client = login(world.trainee.user)
    for path, code, section in (("kontrakt", "contract", "2.1 ST-kontrakt"), ("iup", "iup", "2.2")):
        page = client.get(f"/blekinge/st/{world.trainee.pk}/{path}/").text
        assert f'<a href="/blekinge/regler/#regel-{code}">{BLEKINGE}, avsnitt {section}' in page
        assert ".txt" not in page


def test_a_halland_yearly_form_cites_hallands_own_guideline(elsewhere, login):
    page = login(elsewhere.study_director).get(
        f"/halland/st/{elsewhere.trainee.pk}/uppfoljning/studierektor_followup/ny/"
    )
    assert page.status_code == 200
    assert HALLAND in page.text
    assert 'href="/halland/regler/#regel-studierektor_followup"' in page.text
    for other in ("Norrbotten", "Blekinge", ".txt"):
        assert other not in page.text


def test_a_yearly_form_the_region_has_no_rule_for_says_so(elsewhere, login):
    page = (
        login(elsewhere.head_of_unit)
        .get(f"/halland/st/{elsewhere.trainee.pk}/uppfoljning/development_talk/ny/")
        .text
    )
    assert "Regionens riktlinje har ingen regel om detta" in page
    assert "Blekinge" not in page
    assert ".txt" not in page


def test_the_reminder_mail_cites_the_document_not_the_file(world):
    outbox.scan(on=CONTRACT_DUE - timedelta(days=7), now=at(CONTRACT_DUE - timedelta(days=7)))
    [message] = contract_mails(world.trainee.user)
    html = message.alternatives[0][0]
    for text in (message.body, html):
        assert f"Källa: {BLEKINGE}, avsnitt 2.1 ST-kontrakt" in text
        assert ".txt" not in text


def test_the_notification_list_cites_the_document(world, login):
    outbox.scan(on=CONTRACT_DUE, now=at(CONTRACT_DUE))
    page = login(world.trainee.user).get("/aviseringar/").text
    assert f"{BLEKINGE}, avsnitt 2.1" in page
    assert 'href="/blekinge/regler/#regel-contract"' in page
    assert ".txt" not in page
    assert mail.outbox


def test_the_compare_page_names_sections_not_files(world, login):
    page = login(world.trainee.user).get("/blekinge/regler/jamfor/").text
    assert "avsnitt 2.1 ST-kontrakt" in page
    assert ".txt" not in page
