"""The BT's external assessor: named by the main supervisor or study director, filled into
the basic-competence certificate (HSLF-FS 2021:8 bilaga 4), and no longer a gap once named."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pypdf
import pytest
from django.conf import settings

from regions.tenancy import region_context
from stprogram.models import AuditEvent
from tests.shared_files import require_shared
from trainees.certificates import official
from trainees.certificates.drafts import drafts_for, find
from trainees.certificates.readiness import readiness_for
from trainees.certificates.render import certificate_pdf
from trainees.models import ExternalAssessor

TODAY = date(2026, 3, 1)
GAP = "Uppnådd baskompetens: extern bedömare är inte namngiven."
FORM_4 = (
    Path(settings.BASE_DIR).parent
    / "shared"
    / "reference"
    / "socialstyrelsen"
    / "2021"
    / "2021-2-7212-bilaga-4.pdf"
)
ASSESSOR = {
    "name": "Ingrid Wallenius",
    "profession": "Specialist i internmedicin",
    "workplace": "Medicinkliniken, Kalmar länssjukhus",
    "email": "ingrid.wallenius@example.org",
}


def _url(world) -> str:
    return f"/{world.region.slug}/st/{world.trainee.pk}/intyg/baskompetens/extern-bedomare/"


def _gaps(trainee) -> list[str]:
    with region_context(trainee.region):
        _, checks = readiness_for(trainee, TODAY)
    return [g.text for g in next(c for c in checks if c.packet == "bt").gaps]


def _baskompetens(trainee):
    with region_context(trainee.region):
        return find(drafts_for(trainee, TODAY), "baskompetens")


def _text(content: bytes) -> str:
    return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_the_gap_links_to_where_the_assessor_is_named(world, login):
    assert GAP in _gaps(world.trainee)
    page = login(world.study_director).get(f"/{world.region.slug}/st/{world.trainee.pk}/intyg/")
    assert f'href="{_url(world)}"' in page.content.decode()


def test_study_director_names_the_assessor_and_the_draft_shows_it(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # no official form installed: the WeasyPrint draft
    response = login(world.study_director).post(_url(world), ASSESSOR)
    assert response.status_code == 302
    assert GAP not in _gaps(world.trainee)
    draft = _baskompetens(world.trainee)
    _main, assessor = draft.signers
    assert assessor.name == "Ingrid Wallenius"
    assert assessor.user_id is None  # a name on the form, not an account that sees the draft
    text = _text(certificate_pdf(world.trainee, draft))
    assert "Ingrid Wallenius" in text
    assert "Medicinkliniken, Kalmar länssjukhus" in text
    event = AuditEvent.objects.get(action="external_assessor_recorded")
    assert (event.actor, event.trainee_id) == (world.study_director, world.trainee.pk)
    recorded = ExternalAssessor.unscoped.get(trainee=world.trainee)
    assert recorded.created_by == world.study_director


def test_the_official_form_names_the_assessor_in_the_second_signer_block(
    world, login, settings, tmp_path
):
    form = require_shared(FORM_4, "Socialstyrelsens blankett")
    settings.MEDIA_ROOT = tmp_path
    official.install(content=form.read_bytes())
    login(world.supervisor).post(_url(world), ASSESSOR)
    draft = _baskompetens(world.trainee)
    reader = pypdf.PdfReader(io.BytesIO(certificate_pdf(world.trainee, draft)))
    values = {k: str(v.get("/V")) for k, v in reader.get_fields().items() if v.get("/V")}
    assert values["Namnförtydligande_2"] == "Ingrid Wallenius"
    assert values["Specialitet_2"] == "Specialist i internmedicin"
    assert values["Tjänsteställe_2"] == "Medicinkliniken, Kalmar länssjukhus"
    assert values["Namnförtydligande"] == draft.signers[0].name  # the main supervisor's block


def test_the_latest_recording_is_the_one_on_the_certificate(world, login):
    client = login(world.study_director)
    client.post(_url(world), ASSESSOR)
    client.post(_url(world), {**ASSESSOR, "name": "Per Holm", "email": ""})
    assert _baskompetens(world.trainee).signers[1].name == "Per Holm"
    assert "Per Holm" in client.get(_url(world)).content.decode()


def test_the_trainee_sees_the_assessor_but_cannot_set_it(world, login):
    login(world.study_director).post(_url(world), ASSESSOR)
    client = login(world.trainee.user)
    page = client.get(_url(world))
    assert page.status_code == 200
    assert "Ingrid Wallenius" in page.content.decode()
    assert 'name="name"' not in page.content.decode()  # no form to set it
    response = client.post(_url(world), {**ASSESSOR, "name": "Min kompis"})
    assert response.status_code == 403
    assert list(ExternalAssessor.unscoped.values_list("name", flat=True)) == ["Ingrid Wallenius"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (lambda w, e: w.trainee.user, 403),
        (lambda w, e: w.head_of_unit, 403),
        (lambda w, e: w.no_role, 404),
        (lambda w, e: e.study_director, 404),
        (lambda w, e: e.supervisor, 404),
    ],
    ids=["trainee", "head-of-unit", "no-role", "other-region-sd", "other-region-supervisor"],
)
def test_others_cannot_name_the_assessor_and_nothing_is_saved(
    world, elsewhere, login, who, expected
):
    response = login(who(world, elsewhere)).post(_url(world), ASSESSOR)
    assert response.status_code == expected
    assert "Ingrid Wallenius" not in response.content.decode()
    assert not ExternalAssessor.unscoped.exists()
    assert not AuditEvent.objects.filter(action="external_assessor_recorded").exists()
    assert GAP in _gaps(world.trainee)


def test_outsiders_learn_nothing_of_a_named_assessor(world, elsewhere, login):
    login(world.study_director).post(_url(world), ASSESSOR)
    for user in (world.no_role, elsewhere.study_director):
        response = login(user).get(_url(world))
        assert response.status_code == 404
        assert "Ingrid Wallenius" not in response.content.decode()


def test_an_empty_name_gets_a_swedish_message_and_nothing_is_saved(world, login):
    response = login(world.study_director).post(_url(world), {**ASSESSOR, "name": "   "})
    assert response.status_code == 200
    assert "Ange den externa bedömarens namn." in response.content.decode()
    assert not ExternalAssessor.unscoped.exists()
    assert GAP in _gaps(world.trainee)


def test_a_trainee_without_bt_has_no_assessor_page(world, login):
    url = f"/{world.region.slug}/st/{world.other_trainee.pk}/intyg/baskompetens/extern-bedomare/"
    assert login(world.study_director).get(url).status_code == 404
