"""Issue 17 item 7: an oversized request is refused with 413 before its body is read.

The penetration test sent a 600 MB anonymous body that was read in full
before the login redirect. The request goes through the real WSGI handler
and the whole middleware stack here, with a body that fails the test if
anything reads it.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from inspections.models import Inspection
from tests.pdfs import clean_pdf

MB = 1024 * 1024
UPLOAD = "/blekinge/granskningar/{pk}/rapport/"


class UnreadableBody(io.RawIOBase):
    """A request body that must never be read."""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the request body was read")

    readline = read
    readinto = read


class CountingBody(io.BytesIO):
    """A body sent without a length (chunked); counts what is read of it."""

    def __init__(self, size: int) -> None:
        super().__init__(b"x" * size)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def serve(path: str, body: io.IOBase, **meta: str) -> tuple[int, dict[str, str], bytes]:
    """Run one POST through Django's WSGI handler and the whole middleware stack."""
    environ = RequestFactory()._base_environ(
        PATH_INFO=path, REQUEST_METHOD="POST", CONTENT_TYPE="application/octet-stream", **meta
    )
    environ["wsgi.input"] = body
    answer: dict = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info=None) -> None:
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    content = b"".join(WSGIHandler()(environ, start_response))
    return answer["status"], answer["headers"], content


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/blekinge/granskningar/1/rapport/"])
def test_a_600_mb_anonymous_post_gets_413_unread_and_no_login_redirect(db, path):
    status, headers, content = serve(path, UnreadableBody(), CONTENT_LENGTH=str(600 * MB))
    assert status == 413
    assert "Location" not in headers
    assert headers["Content-Type"].startswith("text/plain")
    assert content.decode().startswith("Förfrågan är för stor (högst ")
    assert "Set-Cookie" not in headers  # no session was started for it


def test_the_limit_is_configurable(db, settings):
    settings.STPROGRAM_REQUEST_MAX_BYTES = 2048
    assert serve("/", UnreadableBody(), CONTENT_LENGTH="2049")[0] == 413
    # Within the limit: on to the app, whose CSRF check refuses an anonymous POST.
    assert serve("/", io.BytesIO(b"x" * 2048), CONTENT_LENGTH="2048")[0] == 403


def test_a_chunked_body_is_read_no_further_than_the_limit(db, settings):
    settings.STPROGRAM_REQUEST_MAX_BYTES = 4096
    body = CountingBody(10 * MB)
    status, _headers, _content = serve("/", body, HTTP_TRANSFER_ENCODING="chunked")
    assert status == 413
    assert body.bytes_read <= 4097


def test_the_report_upload_has_its_own_larger_limit(db, settings):
    settings.STPROGRAM_REPORT_MAX_BYTES = 3 * MB
    path = UPLOAD.format(pk=1)
    # Past the general limit of 1 MB and on to the app (its CSRF check).
    assert serve(path, io.BytesIO(b"x" * 2 * MB), CONTENT_LENGTH=str(2 * MB))[0] == 403
    assert serve(path, UnreadableBody(), CONTENT_LENGTH=str(4 * MB))[0] == 413


@pytest.fixture
def review(world) -> Inspection:
    return Inspection.unscoped.create(
        region=world.region,
        unit=world.unit,
        kind=Inspection.Kind.EXTERNAL,
        planned_on=date(2027, 3, 1),
    )


def test_a_report_sent_chunked_still_arrives(world, review, login, settings, tmp_path):
    """A client may send a form chunked, without a length; within the limit it is read."""
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("r.pdf", clean_pdf(), content_type="application/pdf")
    body = encode_multipart(BOUNDARY, {"rapport": pdf})
    response = login(world.head_of_unit).generic(
        "POST",
        UPLOAD.format(pk=review.pk),
        CONTENT_TYPE=MULTIPART_CONTENT,
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": io.BytesIO(body)},  # as gunicorn passes it: read() to the end
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.report_name == "r.pdf"
