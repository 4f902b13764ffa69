"""Issue 17, item 8: a trainee cannot complete their own "external" assessment.

The attack: the single-use link was shown to the trainee on the page, the trainee
opened it in their own session and filled it in, and the unsigned assessment
counted toward the quota at once.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from assessments.instruments import INSTRUMENTS
from assessments.models import Assessment, AssessmentToken
from tests.assessments.test_instruments import sample_data
from tests.conftest import reauthenticated
from trainees.portfolio import portfolio_for

EMAIL = "siv@example.test"


def _form(method: str = "mini-cex") -> dict[str, str]:
    data = sample_data(INSTRUMENTS[method].form_class)
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def _list_url(world) -> str:
    return f"/blekinge/st/{world.trainee.pk}/bedomningar/"


def _request(world, login, capture, email: str = EMAIL):
    client = login(world.trainee.user)
    data = {
        "method": "mini-cex",
        "assessor_name": "Sjuksköterska Siv",
        "assessor_email": email,
        "assessor_profession": "sjuksköterska",
    }
    with capture(execute=True):
        response = client.post(_list_url(world), data, follow=True)
    return client, response


def _link(message) -> str:
    return re.search(r"http\S+/bedomning/\S+/", message.body).group(0)


def _counted(world) -> list[str]:
    return [e.type for e in portfolio_for(world.trainee).events if e.type == "assessment"]


def test_the_link_goes_by_mail_and_is_never_shown_to_the_trainee(
    world, login, django_capture_on_commit_callbacks
):
    _client, response = _request(world, login, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert f"Länk skickad till {EMAIL}" in response.text
    assert "/bedomning/" not in response.text
    [message] = mail.outbox
    assert message.to == [EMAIL]
    link = _link(message)
    assert link.startswith(settings.SITE_URL.rstrip("/") + "/bedomning/")
    assert "Hej Sjuksköterska Siv" in message.body
    html = message.alternatives[0][0]
    assert link in html
    # Only the hash is kept.
    raw = link.rstrip("/").rsplit("/", 1)[1]
    assert not AssessmentToken.objects.filter(token_hash=raw).exists()


def test_the_trainees_own_session_cannot_fill_in_the_link(
    world, login, django_capture_on_commit_callbacks
):
    client, _response = _request(world, login, django_capture_on_commit_callbacks)
    path = _link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 403
    response = client.post("/" + path, _form())
    assert response.status_code == 403
    assert "egen bedömning" in response.text
    assessment = Assessment.unscoped.get()
    assert assessment.status == "requested"
    assert AssessmentToken.objects.get().used_at is None
    assert _counted(world) == []


def test_the_trainee_cannot_name_themselves_as_external_assessor(
    world, login, django_capture_on_commit_callbacks
):
    _client, response = _request(
        world, login, django_capture_on_commit_callbacks, email=world.trainee.user.email.upper()
    )
    assert "ST-läkaren kan inte vara bedömare i sin egen bedömning." in response.text
    assert not Assessment.unscoped.exists()
    assert mail.outbox == []


def test_a_link_assessment_counts_only_once_attested(
    world, login, django_capture_on_commit_callbacks
):
    _request(world, login, django_capture_on_commit_callbacks)
    path = "/" + _link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    assert Client().post(path, _form()).status_code == 200
    assessment = Assessment.unscoped.get()
    assert assessment.status == "completed"
    assert _counted(world) == []
    progress = login(world.supervisor).get(f"/blekinge/st/{world.trainee.pk}/delmal/")
    assert progress.status_code == 200
    supervisor = reauthenticated(login(world.supervisor))
    sign = f"/blekinge/st/{world.trainee.pk}/bedomningar/{assessment.pk}/signera/"
    assert supervisor.post(sign).status_code == 302
    assert _counted(world) == ["assessment"]


def test_resending_voids_the_old_link(world, login, django_capture_on_commit_callbacks):
    client, _response = _request(world, login, django_capture_on_commit_callbacks)
    old = "/" + _link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    assessment = Assessment.unscoped.get()
    url = f"/blekinge/st/{world.trainee.pk}/bedomningar/{assessment.pk}/ny-lank/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert f"Länk skickad till {EMAIL}" in response.text
    assert "/bedomning/" not in response.text
    assert len(mail.outbox) == 2
    new = "/" + _link(mail.outbox[1]).split("://", 1)[1].split("/", 1)[1]
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert AssessmentToken.objects.count() == 1


@pytest.mark.parametrize("who", ["other_trainee", "no_role", "elsewhere_sd", "elsewhere_sup"])
def test_outsiders_cannot_resend(world, elsewhere, login, who):
    from assessments.workflow import assessment_request
    from regions.tenancy import region_context

    with region_context(world.region):
        assessment, _raw = assessment_request(
            trainee=world.trainee,
            by=world.trainee.user,
            method="mini-cex",
            goal_codes=[],
            assessor_name="Siv",
            assessor_email=EMAIL,
        )
    user = {
        "other_trainee": world.other_trainee.user,
        "no_role": world.no_role,
        "elsewhere_sd": elsewhere.study_director,
        "elsewhere_sup": elsewhere.supervisor,
    }[who]
    url = f"/blekinge/st/{world.trainee.pk}/bedomningar/{assessment.pk}/ny-lank/"
    response = login(user).post(url)
    assert response.status_code == 404
    assert world.trainee.user.last_name not in response.text
    # The head of unit sees the trainee but does not request for them.
    assert login(world.head_of_unit).post(url).status_code == 403
    assert len(AssessmentToken.objects.filter(assessment=assessment)) == 1
