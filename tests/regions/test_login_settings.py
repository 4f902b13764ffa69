"""The region's own choice: may an e-mail address stand in for a missing HSA-id at login."""

from __future__ import annotations

import re

from regions.models import Region
from stprogram.models import AuditEvent

URL = "/blekinge/region/inloggning/"
CHECKED = re.compile(r'<input type="checkbox" name="idp_email_fallback"[^>]* checked')


def test_the_regional_administrator_turns_the_email_fallback_off(world, login):
    client = login(world.regional_admin)
    assert CHECKED.search(client.get(URL).text)
    response = client.post(URL, {}, follow=True)
    assert "Inställningen är sparad." in response.text
    assert not Region.objects.get(slug="blekinge").idp_email_fallback
    event = AuditEvent.objects.get(action="login_settings_changed")
    assert (event.region_slug, event.details) == ("blekinge", {"idp_email_fallback": False})
    assert not CHECKED.search(response.text)
    client.post(URL, {"idp_email_fallback": "on"})
    assert Region.objects.get(slug="blekinge").idp_email_fallback


def test_no_one_else_changes_it(world, elsewhere, login, client):
    assert login(elsewhere.regional_admin).post(URL, {}).status_code == 404
    client.logout()
    assert login(world.supervisor).post(URL, {}).status_code == 403
    client.logout()
    assert login(world.regional_study_director).post(URL, {}).status_code == 403
    assert Region.objects.get(slug="blekinge").idp_email_fallback
    assert not AuditEvent.objects.filter(action="login_settings_changed").exists()
