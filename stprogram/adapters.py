"""allauth adapters: accounts are enrolled by the region, never self-registered.

Only a verified address identifies a person (issue 17, finding 1): one that a
user merely added on the e-mail page, unconfirmed, must not log anyone in,
neither with a password nor through the region's identity provider.
"""

from __future__ import annotations

from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stprogram.models import User
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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: object) -> bool:
        """An identity-provider login must match an enrolled user's e-mail address."""
        return False

    def authenticate_by_email(self, sociallogin: SocialLogin) -> tuple[User, str] | None:
        """Match the provider's verified address to an account that verified it too.

        allauth falls back to unverified addresses when no verified one matches;
        here an unconfirmed claim never matches.
        """
        for address in sociallogin.email_addresses:
            if not address.verified or not self.can_authenticate_by_email(
                sociallogin, address.email
            ):
                continue
            user = _verified_owner(address.email)
            if user is not None and user.is_active:
                return user, address.email
        return None


class VerifiedEmailBackend(AuthenticationBackend):
    """allauth's login backend, matching a password login only to a verified address."""

    def _authenticate_by_email(self, email: str, password: str) -> AbstractBaseUser | None:
        if not email:
            return None
        return self._check_password(_verified_owner(email), password)
