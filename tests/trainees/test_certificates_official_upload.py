"""The regional administrator installs Socialstyrelsen's blank forms by upload.

Apart from test_certificates_official.py: that module seeds the demo regions,
these tests build their own.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.shared_files import require_shared
from tests.trainees.test_certificates_official import REFERENCE
from trainees.certificates import official


@pytest.fixture
def reference() -> Path:
    return require_shared(REFERENCE, "Socialstyrelsens blanketter")


def forms_url(world) -> str:
    return f"/{world.region.slug}/intygsblanketter/"


def test_regional_admin_installs_a_form_by_upload(world, login, settings, tmp_path, reference):
    settings.MEDIA_ROOT = tmp_path
    client = login(world.regional_admin)
    page = client.get(forms_url(world)).content.decode()
    assert "HSLF-FS 2021:8 - Bilaga 9" in page
    assert "Inte installerad" in page
    with (reference / "2021" / "2021-2-7212-bilaga-9.pdf").open("rb") as upload:
        response = client.post(forms_url(world), {"form": upload}, follow=True)
    assert "Installerad: HSLF-FS 2021:8 - Bilaga 9" in response.content.decode()
    assert official.installed("2021-09") is not None


def test_upload_of_something_else_is_refused(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(world.regional_admin)
    upload = io.BytesIO(b"%PDF-1.4 nonsense")
    upload.name = "blankett.pdf"
    response = client.post(forms_url(world), {"form": upload}, follow=True)
    assert "ingen läsbar PDF-blankett" in response.content.decode()
    assert not (tmp_path / "var" / "forms").exists() or not any(
        (tmp_path / "var" / "forms").iterdir()
    )


def test_only_the_regional_admin_of_the_region_may_install(
    world, elsewhere, login, settings, tmp_path, reference
):
    settings.MEDIA_ROOT = tmp_path
    form = reference / "2021" / "2021-2-7212-bilaga-9.pdf"
    for user, status in (
        (world.study_director, 403),
        (world.supervisor, 403),
        (elsewhere.regional_admin, 404),
        (world.no_role, 404),
    ):
        client = login(user)
        assert client.get(forms_url(world)).status_code == status, user
        with form.open("rb") as upload:
            assert client.post(forms_url(world), {"form": upload}).status_code == status
    assert official.installed("2021-09") is None
