"""The new account's way in: the invitation link that sets its password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from regions.invitations import invitation_accept, invitation_for
from regions.models import Region
from regions.tenancy import region_context


def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    context = {"message": error.messages[0]}
    return render(request, "account/invitation_invalid.html", context, status=404)


@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Set the password through the single-use link; then log in as usual (with MFA if asked)."""
    try:
        found = invitation_for(token)
    except ValidationError as error:
        return _invalid(request, error)
    form = SetPasswordForm(found.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The audit history is the region's: written in the region that sent the link.
        with region_context(Region.objects.get(slug=found.region_slug)):
            try:
                invitation_accept(invitation=found, password=form.cleaned_data["new_password1"])
            except ValidationError as error:
                return _invalid(request, error)
        messages.success(request, _("Lösenordet är sparat. Logga in med din e-postadress."))
        return redirect("account_login")
    return render(request, "account/invitation.html", {"form": form, "invitation": found})
