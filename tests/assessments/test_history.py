"""The history explains itself: who did what, in which role, when, and why, in Swedish."""

from __future__ import annotations

import re

from django.test import Client

from assessments.signoff import signoff_create, signoff_revoke
from regions.tenancy import region_context
from tests.assessments.test_signoff import _evidence
from tests.assessments.test_workflow import _external, _post_data

CODES = ("goal_signed_off", "goal_signoff_revoked", "assessment_completed", "assessment_requested")


def _row(page: str, text: str) -> str:
    return re.search(rf"<tr>(?:(?!</tr>).)*{re.escape(text)}.*?</tr>", page, re.S).group(0)


def test_an_external_assessors_mini_cex_is_credited_to_the_assessor(world, login):
    _assessment, raw = _external(world)
    Client().post(f"/bedomning/{raw}/", _post_data("mini-cex"))
    page = login(world.study_director).get(f"/blekinge/st/{world.trainee.pk}/historik/").text
    row = _row(page, "Fyllde i bedömning")
    assert "Sjuksköterska Siv" in row
    assert "Extern bedömare" in row
    assert f"<td>{world.trainee.user}</td>" not in row
    requested = _row(page, "Begärde bedömning")
    assert f"<td>{world.trainee.user}</td>" in requested
    assert "ST-läkare" in requested


def test_a_revocation_shows_who_in_which_role_and_why(world, login):
    evidence = _evidence(world)
    with region_context(world.region):
        signoff = signoff_create(
            trainee=world.trainee, goal_code="STa3", by=world.supervisor, evidence=evidence
        )
        signoff_revoke(signoff=signoff, by=world.supervisor, reason="Fel underlag valt")
    page = login(world.trainee.user).get(f"/blekinge/st/{world.trainee.pk}/historik/").text
    signed = _row(page, "Intygade delmål")
    assert str(world.supervisor) in signed
    assert "Huvudhandledare" in signed
    revoked = _row(page, "Återkallade intyg för delmål")
    assert "Huvudhandledare" in revoked
    assert "Fel underlag valt" in revoked
    for code in CODES:
        assert code not in page


def test_the_history_is_english_in_english(world, login):
    evidence = _evidence(world)
    with region_context(world.region):
        signoff_create(
            trainee=world.trainee, goal_code="STa3", by=world.supervisor, evidence=evidence
        )
    client = login(world.trainee.user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/blekinge/st/{world.trainee.pk}/historik/").text
    assert "Signed off goal" in page
    assert "Main supervisor" in page
    assert "goal_signed_off" not in page
