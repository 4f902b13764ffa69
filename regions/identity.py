"""How people of a region are identified at login: the region's own setting, audited."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from regions.models import Region
from stprogram.models import User
from stprogram.signing import audit


class LoginSettingsForm(forms.Form):
    idp_email_fallback = forms.BooleanField(
        label=_("Matcha inloggning via identitetsleverantören på e-postadress när HSA-id saknas"),
        required=False,
        help_text=_(
            "Av: bara personer med ett HSA-id i ST-programmet kan logga in med SITHS-kortet. "
            "Gäller en person som har roller i flera regioner bara om alla regionerna tillåter det."
        ),
    )


@transaction.atomic
def region_login_settings_save(*, region: Region, idp_email_fallback: bool, by: User) -> bool:
    """Turn the e-mail fallback of identity-provider logins on or off; True if it changed."""
    if region.idp_email_fallback == idp_email_fallback:
        return False
    region.idp_email_fallback = idp_email_fallback
    region.save(update_fields=["idp_email_fallback"])
    audit(
        actor=by,
        region_slug=region.slug,
        trainee_id=None,
        action="login_settings_changed",
        obj=region,
        details={"idp_email_fallback": idp_email_fallback},
    )
    return True
