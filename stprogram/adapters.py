"""allauth adapters: accounts are enrolled by the region, never self-registered.

Only a verified address identifies a person (issue 17, finding 1): one that a
user merely added on the e-mail page, unconfirmed, must not log anyone in,
neither with a password nor through the region's identity provider.

A login through the identity provider (issue 24, item 4) is matched on the
HSA-id it releases (claim `OIDC_HSA_ID_CLAIM`) first; the verified e-mail
address only as a fallback, and only for a person none of whose regions has
turned it off (`Region.idp_email_fallback`). A login never creates an account:
anyone not matched gets a Swedish page saying whom to ask.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regions import tenancy
from stprogram.models import HSA_ID_PATTERN, User
from stprogram.site import absolute


def _verified_owner(email: str) -> User | None:
    address = (
        EmailAddress.objects.filter(email=email.lower(), verified=True)
        .select_related("user")
        .first()
    )
    return address.user if address else None


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Someone else's guesses can trigger this: tell the owner the way out.
        "too_many_login_attempts": _(
            "För många misslyckade inloggningsförsök. Försök igen om några minuter, "
            "eller återställ lösenordet via länken nedan, så kan du logga in direkt."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Regional administrators create accounts; there is no public sign-up."""
        return False

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The reset link points at the site's address, like every other link we mail.

        Behind a proxy the request's own host can be an internal name.
        """
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute(path.replace("UID-KEY", quote(key)))


def claimed_hsa_id(sociallogin: SocialLogin) -> str:
    """The HSA-id the identity provider released (userinfo, else the ID token), or ''."""
    data = sociallogin.account.extra_data or {}
    claim = settings.OIDC_HSA_ID_CLAIM
    for source in (data.get("userinfo"), data.get("id_token"), data):
        value = source.get(claim) if isinstance(source, dict) else None
        if isinstance(value, str) and re.fullmatch(HSA_ID_PATTERN, value.strip()):
            return value.strip()
    return ""


def email_fallback_allowed(user: User) -> bool:
    """Whether every region the person holds a role in lets an e-mail address match a login."""
    from regions.models import Membership

    # Before the login there is no user and no region: the person's roles in
    # every region are read, as for a link that names no region.
    with tenancy.all_regions():
        return not Membership.unscoped.filter(user=user, region__idp_email_fallback=False).exists()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: object) -> bool:
        """An identity-provider login must match an enrolled account; it never creates one."""
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Refuse a login that matches no account, or whose HSA-id is another person's."""
        hsa_id = claimed_hsa_id(sociallogin)
        user = sociallogin.user if sociallogin.is_existing else None
        if user is not None and hsa_id and user.hsa_id and user.hsa_id != hsa_id:
            # Linked earlier (by e-mail) to an account the region has since given
            # another HSA-id: the records say this is someone else.
            raise ImmediateHttpResponse(_refusal(request, hsa_id))
        if user is None:
            raise ImmediateHttpResponse(_refusal(request, hsa_id))

    def authenticate_by_email(self, sociallogin: SocialLogin) -> tuple[User, str] | None:
        """allauth's lookup of an account not yet linked: the HSA-id, then the e-mail address.

        The address counts only when verified on both sides (allauth would also
        try unverified ones), when the claim's HSA-id is not set to someone
        else, and when none of the person's regions has turned the fallback off.
        """
        hsa_id = claimed_hsa_id(sociallogin)
        by_hsa = User.objects.filter(hsa_id=hsa_id, is_active=True).first() if hsa_id else None
        if by_hsa is not None:
            address = EmailAddress.objects.filter(user=by_hsa, verified=True).first()
            return by_hsa, (address.email if address else by_hsa.email)
        for address in sociallogin.email_addresses:
            if not address.verified or not self.can_authenticate_by_email(
                sociallogin, address.email
            ):
                continue
            user = _verified_owner(address.email)
            if user is not None and user.is_active and _may_fall_back(user, hsa_id):
                return user, address.email
        return None


def _may_fall_back(user: User, hsa_id: str) -> bool:
    # An account recorded with another HSA-id is another person's, whatever the address.
    if hsa_id and user.hsa_id and user.hsa_id != hsa_id:
        return False
    return email_fallback_allowed(user)


def _refusal(request: HttpRequest, hsa_id: str) -> Any:
    context = {"hsa_id": hsa_id}
    return render(request, "account/idp_refused.html", context, status=403)


class VerifiedEmailBackend(AuthenticationBackend):
    """allauth's login backend, matching a password login only to a verified address."""

    def _authenticate_by_email(self, email: str, password: str) -> AbstractBaseUser | None:
        if not email:
            return None
        return self._check_password(_verified_owner(email), password)
