"""Request middleware shared by every app."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from regions.selectors import holds_staff_role

LOGIN_AT = "stprogram_login_at"
REFRESHED_AT = "stprogram_refreshed_at"
# Saving the session renews its expiry; once a minute is precise enough for a
# 30-minute limit and spares a database write on every request.
REFRESH_SECONDS = 60


class HtmxLoginRedirectMiddleware:
    """An expired session must not render the login page inside an htmx fragment.

    When an htmx request is answered with a redirect to the login page, turn it
    into a client-side redirect so the whole page goes to the login form.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "htmx", False) and _is_login_redirect(response):
            current = request.htmx.current_url_abs_path or "/"
            return HttpResponseClientRedirect(
                redirect_to_login(current, settings.LOGIN_URL)["Location"]
            )
        return response


class SwedishFirstLocaleMiddleware:
    """Swedish unless the user chose English with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, which
    would show many Swedish clinicians an English interface; here only the
    explicit choice (the language cookie) changes the language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


def _is_login_redirect(response: HttpResponse) -> bool:
    return response.status_code == 302 and response.get("Location", "").startswith(
        resolve_url(settings.LOGIN_URL)
    )


class SessionTimeoutMiddleware:
    """End sessions after inactivity and, however active, some hours after login.

    The idle limit is the session store's own expiry (SESSION_COOKIE_AGE), which
    each save renews; this middleware saves at most once a minute instead of on
    every request (SESSION_SAVE_EVERY_REQUEST). The absolute limit counts from
    the login time kept in the session. Either way the user lands on the login
    page with a message saying why.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = int(timezone.now().timestamp())
        was_authenticated = request.user.is_authenticated
        if was_authenticated and _past_absolute_limit(request.session, now):
            logout(request)
            messages.info(request, _absolute_limit_message())
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        expired = not was_authenticated and _carries_expired_session(request)
        response = self.get_response(request)
        if request.user.is_authenticated:
            _refresh(request.session, now)
        elif expired and _is_login_redirect(response):
            messages.info(request, _idle_limit_message())
        return response


def _past_absolute_limit(session: SessionBase, now: int) -> bool:
    login_at = session.get(LOGIN_AT)
    return login_at is not None and now - login_at >= settings.STPROGRAM_SESSION_MAX_SECONDS


def _carries_expired_session(request: HttpRequest) -> bool:
    """The browser sent a session cookie the store no longer knows (it has expired).

    A logout deletes the cookie, so a stale one means the session ran out.
    Read after the user was loaded, which loads the session and forgets an
    unknown key.
    """
    sent = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    return bool(sent) and request.session.session_key is None


def stamp_login(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """At login (a `user_logged_in` receiver), start the absolute limit's clock."""
    if request is not None:
        now = int(timezone.now().timestamp())
        request.session[LOGIN_AT] = now
        request.session[REFRESHED_AT] = now


def _refresh(session: SessionBase, now: int) -> None:
    # Sessions from before this middleware have no login time: count from now.
    session.setdefault(LOGIN_AT, now)
    if now - session.get(REFRESHED_AT, 0) >= REFRESH_SECONDS:
        session[REFRESHED_AT] = now


def _idle_limit_message() -> str:
    minutes = max(settings.STPROGRAM_SESSION_IDLE_SECONDS // 60, 1)
    return ngettext(
        "Du har loggats ut efter %(minutes)d minuts inaktivitet.",
        "Du har loggats ut efter %(minutes)d minuters inaktivitet.",
        minutes,
    ) % {"minutes": minutes}


def _absolute_limit_message() -> str:
    hours = max(settings.STPROGRAM_SESSION_MAX_SECONDS // 3600, 1)
    return ngettext(
        "Du har loggats ut eftersom du har varit inloggad i %(hours)d timme. "
        "Logga in igen för att fortsätta.",
        "Du har loggats ut eftersom du har varit inloggad i %(hours)d timmar. "
        "Logga in igen för att fortsätta.",
        hours,
    ) % {"hours": hours}


class StaffMfaMiddleware:
    """With STPROGRAM_REQUIRE_MFA, staff must set up a second factor before anything else.

    Everyone but a trainee (and Django admin staff) sees patient-adjacent records
    of many people, so a stolen password alone must not open them. Until such a
    user has an authenticator app or a security key, every page except the MFA
    pages themselves, logout, re-authentication, static files, the language
    switch and the health check sends them to set one up. Once they have one,
    allauth asks for the code at every login.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.STPROGRAM_REQUIRE_MFA
            and request.user.is_authenticated
            and not request.path_info.startswith(_mfa_exempt_paths())
            and _staff_without_mfa(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Din roll kräver tvåstegsverifiering. Aktivera en autentiseringsapp "
                    "innan du fortsätter; därefter frågar vi efter en kod när du loggar in."
                ),
            )
            setup = reverse("mfa_activate_totp")
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(setup)
            return HttpResponseRedirect(setup)
        return self.get_response(request)


@cache
def _mfa_exempt_paths() -> tuple[str, ...]:
    return (
        reverse("mfa_index"),
        reverse("account_logout"),
        reverse("account_reauthenticate"),
        reverse("set_language"),
        reverse("healthz"),
        settings.STATIC_URL,
    )


def _staff_without_mfa(user: object) -> bool:
    second_factors = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    staff = user.is_staff or holds_staff_role(user)
    return staff and not is_mfa_enabled(user, second_factors)


class DatabaseBusyMiddleware:
    """A view that met SQLite's write lock answers 503 "try again shortly", not 500.

    The embedded default shares one SQLite file between the web server and the
    worker; a long write there is congestion, and nothing of the request was
    saved. Errors raised by a middleware's own write (the session) reach
    stprogram.views.server_error, which answers the same.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from stprogram.views import database_busy, is_database_locked

        return database_busy(request) if is_database_locked(exception) else None
