"""allauth adapters: accounts are enrolled by the region, never self-registered."""

from __future__ import annotations

from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from stprogram.site import absolute


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Regional administrators create accounts; there is no public sign-up."""
        return False

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The reset link points at the site's address, like every other link we mail.

        Behind a proxy the request's own host can be an internal name.
        """
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute(path.replace("UID-KEY", quote(key)))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: object) -> bool:
        """An identity-provider login must match an enrolled user's e-mail address."""
        return False
