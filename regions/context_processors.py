"""Template context for the layout: region switcher and role navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regions.models import UNIT_STAFF_ROLES, Role
from trainees.selectors import regions_of

# (role, URL name, label) in the order they appear in the navigation.
ROLE_PAGES = [
    (Role.TRAINEE, "trainees:my_st", _("Min ST")),
    (Role.SUPERVISOR, "supervision:home", _("Mina ST-läkare")),
    (Role.STUDY_DIRECTOR, "regions:study_director", _("Studierektor")),
    (Role.HEAD_OF_UNIT, "regions:head_of_unit", _("Verksamhetschef")),
    (Role.REGIONAL_STUDY_DIRECTOR, "regions:regional", _("Regionen")),
    # After the region page, which stays where the regional study director lands.
    (Role.REGIONAL_STUDY_DIRECTOR, "regions:study_director", _("Studierektor")),
    (Role.REGIONAL_ADMIN, "regions:regional", _("Regionen")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The region switcher and the role pages of the active region."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    region = getattr(request, "region", None)
    nav: list[dict[str, Any]] = []
    if region is not None:
        seen: set[str] = set()
        for role, url_name, label in ROLE_PAGES:
            if role in request.roles and url_name not in seen:
                seen.add(url_name)
                url = reverse(url_name, kwargs={"region": region.slug})
                nav.append({"url": url, "label": label, "current": request.path == url})
        if request.roles & set(UNIT_STAFF_ROLES):
            url = reverse("inspections:overview", kwargs={"region": region.slug})
            label = _("Granskningar")
            nav.append({"url": url, "label": label, "current": request.path.startswith(url)})
        if request.memberships:
            url = reverse("regions:rules", kwargs={"region": region.slug})
            nav.append({"url": url, "label": _("Regler"), "current": request.path.startswith(url)})
    return {"user_regions": list(regions_of(user)), "role_nav": nav}
