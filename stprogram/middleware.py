"""Request middleware shared by every app."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect


class HtmxLoginRedirectMiddleware:
    """An expired session must not render the login page inside an htmx fragment.

    When an htmx request is answered with a redirect to the login page, turn it
    into a client-side redirect so the whole page goes to the login form.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "htmx", False) and response.status_code == 302:
            location = response.get("Location", "")
            login_path = redirect_to_login("/", settings.LOGIN_URL)["Location"].split("?")[0]
            if location.startswith(login_path):
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
