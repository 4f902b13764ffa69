"""The regional administrator's login setting: may an e-mail address stand in for the HSA-id."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from regions.identity import LoginSettingsForm, region_login_settings_save
from regions.models import Role
from stprogram.decorators import role_required


@role_required(Role.REGIONAL_ADMIN)
def login_settings(request: HttpRequest) -> HttpResponse:
    """Show and change how the region's identity-provider logins are matched."""
    region = request.region
    # An unticked box posts nothing: the form is bound on any POST, not on a non-empty one.
    data = request.POST if request.method == "POST" else None
    form = LoginSettingsForm(data, initial={"idp_email_fallback": region.idp_email_fallback})
    if request.method == "POST" and form.is_valid():
        region_login_settings_save(region=region, by=request.user, **form.cleaned_data)
        messages.success(request, _("Inställningen är sparad."))
        return redirect("regions:login_settings", region=region.slug)
    return render(request, "regions/login_settings.html", {"form": form})
