"""Identity by HSA-id (issue 24, item 4): the whole OIDC login against a real local provider.

The provider (tests/oidc_idp.py) runs over HTTP in a thread; the test client
posts to allauth's login, the test follows the redirect to the provider with a
real HTTP request, and the client takes the provider's redirect back to the
callback, where allauth fetches the token, userinfo and keys over HTTP itself.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from stprogram.models import User
from tests import oidc_idp

HSA = "SE2321000081-abc123"


@pytest.fixture(scope="module")
def idp():
    provider, server = oidc_idp.start()
    yield provider
    server.shutdown()


@pytest.fixture
def oidc(settings, idp, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    settings.OIDC_SERVER_URL = idp.url
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "siths",
                    "name": "SITHS-kort (Inera)",
                    "client_id": oidc_idp.CLIENT_ID,
                    "secret": oidc_idp.CLIENT_SECRET,
                    "settings": {
                        "server_url": idp.url,
                        "token_auth_method": "client_secret_basic",
                        "oauth_pkce_enabled": True,
                    },
                }
            ]
        }
    }
    return idp


def log_in_with_idp(idp, claims: dict) -> tuple[Client, object]:
    """The browser's round trip: our login, the provider's authorize page, our callback."""
    client = Client()
    idp.person = {"sub": claims.pop("sub", "siths-1"), **claims}
    start = client.post("/accounts/oidc/siths/login/")
    assert start.status_code == 302
    assert start["Location"].startswith(f"{idp.url}/authorize?")
    answer = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = urlparse(answer.headers["Location"])
    assert (back.netloc, back.path) == ("testserver", "/accounts/oidc/siths/login/callback/")
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    return client, client.get(back.path, query)


def logged_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def with_hsa(user: User, hsa_id: str = HSA) -> User:
    user.hsa_id = hsa_id
    user.save(update_fields=["hsa_id"])
    return user


def test_a_known_hsa_id_logs_in_whatever_the_address(world, oidc):
    user = with_hsa(world.study_director)
    claims = {"employeeHsaId": HSA, "email": "annan.adress@idp.test", "email_verified": True}
    client, done = log_in_with_idp(oidc, claims)
    assert done.status_code == 302
    assert logged_in_as(client) == user.pk
    assert client.get("/blekinge/studierektor/").status_code == 200
    assert SocialAccount.objects.get(user=user).uid == "siths-1"
    # The provider really was asked: token, userinfo, and the ID token it signed.
    assert {"POST /token", "GET /userinfo", "GET /authorize"} <= set(oidc.requests)
    again, _ = log_in_with_idp(oidc, {"employeeHsaId": HSA})
    assert logged_in_as(again) == user.pk


def test_an_unknown_hsa_id_is_refused_in_swedish_and_no_account_is_made(world, oidc):
    before = User.objects.count()
    claims = {"employeeHsaId": "SE2321000081-okand1", "email": "okand@idp.test"}
    client, done = log_in_with_idp(oidc, {**claims, "email_verified": True})
    assert done.status_code == 403
    assert "Inloggningen godtogs inte" in done.text
    assert "SE2321000081-okand1" in done.text
    assert "ett konto skapas aldrig vid inloggning" in done.text
    assert logged_in_as(client) is None
    assert User.objects.count() == before
    assert not SocialAccount.objects.exists()


def test_the_email_fallback_logs_in_where_the_region_allows_it(world, oidc):
    claims = {"email": world.supervisor.email, "email_verified": True}
    client, done = log_in_with_idp(oidc, claims)
    assert done.status_code == 302
    assert logged_in_as(client) == world.supervisor.pk


def test_the_email_fallback_is_refused_where_the_region_turned_it_off(world, oidc):
    world.region.idp_email_fallback = False
    world.region.save(update_fields=["idp_email_fallback"])
    before = User.objects.count()
    claims = {"email": world.supervisor.email, "email_verified": True}
    client, done = log_in_with_idp(oidc, claims)
    assert done.status_code == 403
    assert "inget HSA-id som ST-programmet känner igen" in done.text
    assert logged_in_as(client) is None
    assert User.objects.count() == before
    # Turned off, the HSA-id still logs the same person in.
    with_hsa(world.supervisor)
    client, _done = log_in_with_idp(oidc, {"employeeHsaId": HSA, "sub": "siths-2"})
    assert logged_in_as(client) == world.supervisor.pk


def test_an_address_never_beats_a_different_recorded_hsa_id(world, oidc):
    with_hsa(world.supervisor, "SE2321000081-egen01")
    claims = {"employeeHsaId": "SE2321000081-annan1", "email": world.supervisor.email}
    client, done = log_in_with_idp(oidc, {**claims, "email_verified": True})
    assert done.status_code == 403
    assert logged_in_as(client) is None


def test_an_unverified_address_claim_matches_no_one(world, oidc):
    claims = {"email": world.supervisor.email, "email_verified": False}
    client, done = log_in_with_idp(oidc, claims)
    assert done.status_code == 403
    assert logged_in_as(client) is None


def test_the_claim_name_is_configurable(world, oidc, settings):
    settings.OIDC_HSA_ID_CLAIM = "http://sambi.se/attributes/1/employeeHsaId"
    user = with_hsa(world.head_of_unit)
    client, _done = log_in_with_idp(oidc, {"http://sambi.se/attributes/1/employeeHsaId": HSA})
    assert logged_in_as(client) == user.pk


def test_the_provider_signs_its_id_tokens_with_the_key_it_publishes(oidc):
    grant = oidc_idp.Grant({"sub": "x", "employeeHsaId": HSA}, "http://testserver/", "", None)
    token = oidc.id_token(grant)
    keys = requests.get(f"{oidc.url}/jwks", timeout=10).json()["keys"]
    import jwt

    key = jwt.PyJWK(keys[0]).key
    claims = jwt.decode(token, key, algorithms=["RS256"], audience=oidc_idp.CLIENT_ID)
    assert claims["employeeHsaId"] == HSA


@pytest.mark.parametrize(
    "value", ["SE123", "SE232100008-x", "se2321000081-abc", "SE2321000081-", "SE2321000081-åäö"]
)
def test_an_hsa_id_must_have_ineras_format(world, value):
    world.supervisor.hsa_id = value
    with pytest.raises(ValidationError) as error:
        world.supervisor.full_clean()
    assert "SE, tio siffror, bindestreck" in str(error.value)


def test_an_hsa_id_belongs_to_one_account(world):
    with_hsa(world.supervisor)
    with pytest.raises(IntegrityError), transaction.atomic():
        with_hsa(world.study_director)
