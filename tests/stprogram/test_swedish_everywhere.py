"""Swedish on every screen and in every mail: no Django or allauth English, no internal codes."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from regions.tenancy import region_context
from stprogram.signing import sign
from trainees.services import contract_content, contract_create


def test_an_optional_drop_down_starts_with_a_swedish_empty_line(world, login):
    page = login(world.trainee.user).get(f"/blekinge/st/{world.trainee.pk}/placeringar/ny/").text
    assert "– Välj –" in page
    assert "Select an option" not in page
    assert "---------" not in page


def test_the_empty_line_follows_the_language(world, login):
    client = login(world.trainee.user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/blekinge/st/{world.trainee.pk}/placeringar/ny/").text
    assert "– Choose –" in page
    assert "– Välj –" not in page


def test_signatures_name_the_party_in_swedish(world, login):
    with region_context(world.region):
        contract = contract_create(
            trainee=world.trainee, kind="ordinary", terms="V", reason="", by=world.trainee.user
        )
        sign(
            obj=contract,
            content=contract_content(contract),
            user=world.supervisor,
            party="main_supervisor",
            region_slug="blekinge",
            allowed_parties={"main_supervisor": {world.supervisor.pk}},
            trainee_id=world.trainee.pk,
        )
    page = login(world.trainee.user).get(f"/blekinge/st/{world.trainee.pk}/kontrakt/").text
    assert "Huvudhandledare" in page
    for code in ("main_supervisor", "head_of_unit", "study_director"):
        assert f"– {code}" not in page
        assert f"{code} –" not in page


def test_the_rules_page_names_the_programme_part_not_a_code(elsewhere, login):
    page = login(elsewhere.trainee.user).get("/halland/regler/").text
    assert "<td>Hela utbildningen</td>" in page
    assert "<td>all</td>" not in page


def test_the_password_reset_mail_is_natural_swedish_from_the_product(world):
    world.trainee.user.first_name, world.trainee.user.last_name = "Karin", "Ek"
    world.trainee.user.save()
    Client().post("/accounts/password/reset/", {"email": world.trainee.user.email})
    [message] = mail.outbox
    assert message.subject == "[ST-programmet] Återställ ditt lösenord"
    assert message.body.startswith("Hej Karin Ek,")
    assert "Välj ett nytt lösenord via länken nedan" in message.body
    assert "/accounts/password/reset/key/" in message.body
    assert "testserver" not in message.subject
    for wrong in ("Hej från", "testserver!", "epost-adress", "Tack för"):
        assert wrong not in message.subject + message.body


def test_a_reset_for_an_unknown_address_says_the_region_creates_accounts(db):
    Client().post("/accounts/password/reset/", {"email": "okand@example.test"})
    [message] = mail.outbox
    assert message.subject == "[ST-programmet] Inget konto med den e-postadressen"
    assert "Konton skapas av regionen" in message.body
    assert "signup" not in message.body


def test_account_mails_are_english_in_english(world):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/accounts/password/reset/", {"email": world.trainee.user.email})
    [message] = mail.outbox
    assert message.subject == "[ST-programmet] Reset your password"
    assert "Choose a new password through the link below" in message.body


def test_the_exported_matrix_has_swedish_headers_and_statuses(world, login):
    response = login(world.study_director).get("/blekinge/studierektor/export.csv")
    header, *rows = response.content.decode("utf-8-sig").splitlines()
    assert header.startswith("ST-läkare;Enhet;Föreskrift;Start;ST-kontrakt;")
    for code in ("contract", "iup_revision", "trainee_annual_report", "overdue", "open"):
        assert code not in header
        assert all(code not in row for row in rows)
