"""The "Regler" pages: every rule with strength, numbers and its source; regions compared."""

from __future__ import annotations

import re

import pytest

from regions.rules.profile import all_profiles
from tests.factories import world_build


@pytest.mark.parametrize("slug", ["blekinge", "halland"])
def test_rules_page_shows_every_rule_with_its_source(world, elsewhere, login, slug):
    user = (world if slug == "blekinge" else elsewhere).trainee.user
    page = login(user).get(f"/{slug}/regler/").text
    profile = all_profiles()[slug]
    assert ".txt" not in page
    for rule in profile.rules:
        assert f'id="regel-{rule.code}"' in page
        assert rule.text_sv.replace('"', "&quot;")[:40] in page or rule.text_sv[:40] in page


def test_blekinge_contract_is_a_must_within_one_month(world, login):
    page = login(world.study_director).get("/blekinge/regler/").text
    row = re.search(r"ST-kontrakt</th>.*?</tr>", page, re.S).group(0)
    assert "Ska" in row
    assert "inom 1 mån" in row
    assert (
        "Region Blekinge, Gemensam organisation för ST/AT-läkare i Landstinget Blekinge, "
        "avsnitt 2.1 ST-kontrakt"
    ) in row


def test_compare_page_marks_differences(world, login):
    page = login(world.trainee.user).get("/blekinge/regler/jamfor/").text
    for name in ("Blekinge", "Norrbotten", "Östergötland", "Jönköping", "Halland"):
        assert name in page
    # Every region requires an IUP revision; Halland's contract is "bör", Blekinge's "ska".
    contract_row = re.search(
        r"<tr class=\"differs\">\s*<th scope=\"row\">.*?ST-kontrakt.*?</tr>", page, re.S
    )
    assert contract_row is not None
    assert "Skiljer sig" in contract_row.group(0)


def test_english_rules_page_uses_english_texts(world, login):
    client = login(world.trainee.user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/blekinge/regler/").text
    rule = all_profiles()["blekinge"].rules[0]
    assert rule.text_en[:30] in page


def test_rules_pages_for_outsiders(world, elsewhere, login, client):
    for path in ("/blekinge/regler/", "/blekinge/regler/jamfor/"):
        assert login(elsewhere.trainee.user).get(path).status_code == 404
        assert login(world.no_role).get(path).status_code == 404
        client.logout()
        assert client.get(path).status_code == 302


def test_the_regional_rules_are_shown_with_their_sources(world, login):
    page = login(world.trainee.user).get("/blekinge/regler/").text
    section = page.split('id="regional-rules"')[1].split("</ul>")[0]
    assert "Undertecknar ST-kontraktet:</strong> ST-läkare, Verksamhetschef" in section
    # §2.2: the study director joins a revision only "vid behov".
    revised = re.search(r"Godkänner en reviderad IUP:</strong>(.*?)</li>", section, re.S).group(1)
    assert "Studierektor" not in revised
    assert "avsnitt 2.2 Utbildningsplan" in revised
    assert "Studierektorns kompetens:</strong> specialistkompetens, handledarutbildning" in section
    assert "Jäv" not in section
    assert ".txt" not in section


def test_jonkoping_shows_its_conflict_and_action_plan(db, login):

    jkp = world_build(slug="jonkoping", name="Region Jönköpings län")
    page = login(jkp.trainee.user).get("/jonkoping/regler/").text
    section = page.split('id="regional-rules"')[1].split("</ul>")[0]
    assert "Jäv:</strong> Bör undvikas: verksamhetschefen som handledare." in section
    assert "Åtgärdsplan:</strong>" in section
    assert "Studierektorns kompetens" not in section
