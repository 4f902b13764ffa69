"""Forms to request assessments and sign goals off."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from regions.models import Membership
from stprogram.models import User
from trainees.forms import GoalsMixin
from trainees.models import Trainee

REQUESTABLE = [
    (m, label) for m, label in Assessment.Method.choices if m not in ("360", "360-rater")
]


class RequestForm(GoalsMixin):
    method = forms.ChoiceField(label=_("Metod"), choices=REQUESTABLE)
    assessor = forms.ModelChoiceField(
        label=_("Bedömare med konto i regionen"), queryset=User.objects.none(), required=False
    )
    assessor_name = forms.CharField(
        label=_("eller: bedömarens namn"), max_length=200, required=False
    )
    assessor_email = forms.EmailField(label=_("Bedömarens e-postadress"), required=False)
    assessor_profession = forms.CharField(
        label=_("Bedömarens yrke"), max_length=100, required=False
    )
    context = forms.CharField(label=_("Situation"), max_length=300, required=False)

    def __init__(self, *args: Any, trainee: Trainee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_goals(trainee)
        members = Membership.objects.exclude(user=trainee.user).values("user_id")
        self.fields["assessor"].queryset = User.objects.filter(pk__in=members).order_by(
            "last_name", "first_name"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        external = data.get("assessor_name") and data.get("assessor_email")
        if not data.get("assessor") and not external:
            raise forms.ValidationError(
                _("Välj en bedömare med konto, eller ange namn och e-postadress.")
            )
        return data


class RaterForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    email = forms.EmailField(label=_("E-postadress"))
    profession = forms.CharField(label=_("Yrke"), max_length=100)


RaterFormSet = forms.formset_factory(RaterForm, extra=8, max_num=20, validate_max=True)


class SignoffForm(forms.Form):
    evidence = forms.MultipleChoiceField(label=_("Underlag"), widget=forms.CheckboxSelectMultiple)
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = choices


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Skäl till återkallelse"), max_length=300)


class MalbeskrivningForm(forms.Form):
    file = forms.FileField(
        label=_("Målbeskrivning (PDF)"),
        help_text=_("Socialstyrelsens målbeskrivning för en specialitet, som den är publicerad."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # A målbeskrivning is well under a megabyte; anything this large is not one.
        if upload.size > MALBESKRIVNING_MAX_BYTES:
            raise forms.ValidationError(_("Filen är för stor (högst 20 MB)."))
        return upload


MALBESKRIVNING_MAX_BYTES = 20 * 1024 * 1024
