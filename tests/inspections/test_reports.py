"""Review reports: a PDF by content, size-limited, stored privately, served only to the allowed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections.models import Inspection
from stprogram.models import AccessLog
from tests.inspections.conftest import PDF, stored_files
from tests.pdfs import clean_pdf


def upload(client, review, content: bytes, name: str = "rapport.pdf"):
    return client.post(
        f"/blekinge/granskningar/{review.pk}/rapport/",
        {"rapport": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_the_head_of_unit_uploads_a_report_that_the_study_director_downloads(
    world, review, login, private_files, settings
):
    response = upload(login(world.head_of_unit), review, PDF, "SPUR-rapport 2026.pdf")
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.report_name == "SPUR-rapport 2026.pdf"
    (stored,) = stored_files(private_files)
    assert stored.read_bytes() == PDF
    assert "SPUR" not in stored.name  # stored under a random name, not the user's
    assert str(stored).startswith(str(private_files))
    assert not str(stored).startswith(str(settings.STATIC_ROOT))

    download = login(world.study_director).get(f"/blekinge/granskningar/{review.pk}/rapport.pdf")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert 'attachment; filename="SPUR-rapport 2026.pdf"' in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    logged = AccessLog.objects.get(kind=AccessLog.Kind.DOWNLOAD)
    assert logged.user == world.study_director
    assert logged.path == f"/blekinge/granskningar/{review.pk}/rapport.pdf"


def test_a_replaced_report_removes_the_old_file(
    world, review, login, private_files, django_capture_on_commit_callbacks
):
    client = login(world.head_of_unit)
    upload(client, review, PDF, "first.pdf")
    second = clean_pdf("Andra versionen")
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, review, second, "second.pdf")
    (stored,) = stored_files(private_files)
    assert stored.read_bytes() == second


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "rapport.pdf", "Filen är inte en PDF."),
        (b"<html><script>alert(1)</script></html>", "rapport.pdf", "Filen är inte en PDF."),
        (b"", "rapport.pdf", "filen är tom."),
        (
            PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript >>"),
            "rapport.pdf",
            "innehåller skript",
        ),
        (b"%PDF-1.4 no trailer", "rapport.pdf", "Filen är inte en PDF."),
    ],
)
def test_a_file_that_is_not_a_plain_pdf_is_refused_and_nothing_is_stored(
    world, review, login, private_files, content, name, message
):
    response = upload(login(world.head_of_unit), review, content, name)
    assert response.status_code == 200
    assert message in response.text
    assert stored_files(private_files) == []
    review.refresh_from_db()
    assert not review.report
    assert review.report_name == ""


def test_an_oversized_report_is_refused(world, review, login, private_files, settings):
    settings.STPROGRAM_REPORT_MAX_BYTES = 1024 * 1024
    big = PDF[:-6] + b"0" * (1024 * 1024) + b"\n%%EOF\n"
    response = upload(login(world.head_of_unit), review, big)
    assert "Filen är för stor: högst 1 MB." in response.text
    assert stored_files(private_files) == []


@pytest.mark.parametrize(
    "name", ["../../../etc/passwd.pdf", "..\\..\\windows\\evil.pdf", "/tmp/x.pdf", "a\x00b.pdf"]
)
def test_a_path_in_the_file_name_never_reaches_the_disk(world, review, login, private_files, name):
    upload(login(world.head_of_unit), review, PDF, name)
    (stored,) = stored_files(private_files)
    assert stored.parent.parent == private_files / "inspections"
    review.refresh_from_db()
    assert "/" not in review.report_name
    assert "\\" not in review.report_name
    assert ".." not in review.report_name.removesuffix(".pdf")


def test_the_report_is_not_served_to_a_trainee_a_supervisor_or_another_region(
    world, elsewhere, review, login, private_files
):
    upload(login(world.head_of_unit), review, PDF)
    url = f"/blekinge/granskningar/{review.pk}/rapport.pdf"
    assert login(world.trainee.user).get(url).status_code == 403
    assert login(world.supervisor).get(url).status_code == 403
    assert login(elsewhere.head_of_unit).get(url).status_code == 404
    assert login(elsewhere.regional_study_director).get(url).status_code == 404
    assert not AccessLog.objects.exists()


def test_a_study_director_cannot_upload_to_another_units_review(world, login, private_files):
    other = Inspection.unscoped.create(
        region=world.region,
        unit=world.other_unit,
        kind=Inspection.Kind.EXTERNAL,
        planned_on="2027-01-01",
    )
    response = upload(login(world.study_director), other, PDF)
    assert response.status_code == 404
    assert stored_files(private_files) == []
