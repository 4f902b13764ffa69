"""Certificate drafts in the web: who sees what, the packet outbox, logging, the benchmark."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings

from assessments.models import GoalSignoff
from regions.tenancy import region_context
from stprogram.models import AccessLog
from tests.factories import RotationFactory
from trainees.certificates import packets
from trainees.certificates.drafts import drafts_for, find
from trainees.models import Absence, Activity, CertificatePacket

PNR = "199001012380"


@pytest.fixture
def setup(world, tmp_path):
    """The trainee with a personnummer, a course and a rotation; files go to a temp dir."""
    trainee = world.trainee
    trainee.personnummer = PNR
    trainee.save(update_fields=["personnummer"])
    course = Activity.unscoped.create(
        region=world.region,
        trainee=trainee,
        created_by=world.supervisor,
        kind="course",
        title="Kurs i etik",
        start=date(2025, 3, 3),
        end=date(2025, 3, 5),
        goal_codes=["STa4"],
    )
    RotationFactory(
        region=world.region,
        trainee=trainee,
        created_by=world.supervisor,
        unit_name="Akutmottagningen",
        start=date(2025, 6, 2),
        end=date(2025, 8, 31),
        goal_codes=["BT1"],
        local_supervisor_name="Nils Ström",
    )
    with override_settings(MEDIA_ROOT=tmp_path):
        yield world, course


def url(world, suffix: str = "", pk: int | None = None) -> str:
    return f"/{world.region.slug}/st/{pk or world.trainee.pk}/intyg/{suffix}"


def _logged(user) -> int:
    return AccessLog.objects.filter(user=user, kind=AccessLog.Kind.PERSONNUMMER).count()


# --- The trainee ---------------------------------------------------------------------


def test_trainee_lists_previews_and_downloads_own_drafts(setup, login):
    world, course = setup
    client = login(world.trainee.user)
    page = client.get(url(world))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Kurs i etik" in body
    assert PNR not in body  # never on the list, only inside the drafts
    preview = client.get(url(world, f"kurs-{course.pk}/"))
    assert preview.status_code == 200
    assert "19900101-2380" in preview.content.decode()
    assert 'lang="sv"' in preview.content.decode()
    pdf = client.get(url(world, f"kurs-{course.pk}.pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert PNR[:8] not in pdf["Content-Disposition"]
    assert _logged(world.trainee.user) == 2


def test_overview_links_to_the_drafts(setup, login):
    world, _course = setup
    page = login(world.trainee.user).get(f"/{world.region.slug}/min-st/")
    assert url(world) in page.content.decode()


# --- Outsiders ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "ansokan/", "ansokan.pdf", "paket/1.pdf"])
def test_another_trainee_in_the_region_gets_404(setup, login, suffix):
    world, _course = setup
    CertificatePacket.unscoped.create(
        pk=1,
        region=world.region,
        trainee=world.trainee,
        requested_by=world.trainee.user,
        status="ready",
        file="certificates/x.pdf",
    )
    client = login(world.other_trainee.user)
    assert client.get(url(world, suffix)).status_code == 404
    assert _logged(world.other_trainee.user) == 0


@pytest.mark.parametrize("suffix", ["", "ansokan/", "ansokan.pdf"])
def test_a_user_of_another_region_gets_404(setup, elsewhere, login, suffix):
    world, _course = setup
    for user in (elsewhere.trainee.user, elsewhere.supervisor, elsewhere.regional_admin):
        assert login(user).get(url(world, suffix)).status_code == 404


def test_own_region_url_with_another_regions_trainee_gets_404(setup, elsewhere, login):
    world, _course = setup
    client = login(elsewhere.trainee.user)
    other = f"/{elsewhere.region.slug}/st/{world.trainee.pk}/intyg/"
    assert client.get(other).status_code == 404
    assert client.get(other + "ansokan.pdf").status_code == 404


def test_a_user_without_a_role_gets_404(setup, login):
    world, _course = setup
    assert login(world.no_role).get(url(world)).status_code == 404


def test_regional_admin_named_on_nothing_gets_403(setup, login):
    world, course = setup
    client = login(world.regional_admin)
    assert client.get(url(world)).status_code == 403
    assert client.get(url(world, f"kurs-{course.pk}.pdf")).status_code == 403


def test_a_trainee_cannot_fetch_another_trainees_drafts_by_changing_the_id(setup, login):
    world, _course = setup
    client = login(world.trainee.user)
    assert client.get(url(world, "", pk=world.other_trainee.pk)).status_code == 404
    assert client.get(url(world, "ansokan.pdf", pk=world.other_trainee.pk)).status_code == 404


def test_unknown_draft_gets_404(setup, login):
    world, _course = setup
    assert login(world.trainee.user).get(url(world, "kurs-999999/")).status_code == 404


# --- Staff named on drafts -----------------------------------------------------------------


def test_supervisor_sees_the_drafts_naming_them_with_the_personnummer_masked(setup, login):
    world, course = setup
    client = login(world.supervisor)
    body = client.get(url(world)).content.decode()
    assert "Kurs i etik" in body
    assert "Fullgjord specialiseringstjänstgöring" not in body
    preview = client.get(url(world, f"kurs-{course.pk}/")).content.decode()
    assert "19900101-****" in preview
    assert PNR not in preview
    assert "19900101-2380" not in preview
    assert client.get(url(world, f"kurs-{course.pk}.pdf")).status_code == 200
    assert _logged(world.supervisor) == 1
    # The service list is the head of unit's to sign, not the supervisor's.
    assert client.get(url(world, "tjanstgoring.pdf")).status_code == 403


def test_head_of_unit_sees_the_service_lists(setup, login):
    world, course = setup
    client = login(world.head_of_unit)
    assert client.get(url(world, "tjanstgoring.pdf")).status_code == 200
    assert client.get(url(world, "bt-tjanstgoring/")).status_code == 200
    assert client.get(url(world, f"kurs-{course.pk}/")).status_code == 403


def test_rotation_supervisor_without_account_is_named_by_name(setup):
    world, _course = setup
    with region_context(world.region):
        drafts = drafts_for(world.trainee, today=date(2026, 1, 1))
    bt_goals = [d for d in drafts if d.form.key == "2021-02"]
    assert bt_goals
    assert "Akutmottagningen" in bt_goals[0].fields["activities"]
    bt_service = find(drafts, "bt-tjanstgoring")
    assert "Akutmottagningen" in bt_service.fields["emergency"]
    assert "VC Norr blekinge" in bt_service.fields["primary_care"]


# --- The packet outbox ----------------------------------------------------------------------


def test_packet_is_requested_queued_by_id_rendered_and_downloaded(
    setup, login, django_capture_on_commit_callbacks
):
    world, _course = setup
    client = login(world.trainee.user)
    with (
        mock.patch("trainees.tasks.render_certificate_packet.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url(world, "paket/"), {"kind": "st"})
    assert response.status_code == 302
    packet = CertificatePacket.unscoped.get()
    assert packet.status == "pending"
    # Ids only (the packet and its region): no name, no personnummer.
    delay.assert_called_once_with(packet.pk, world.region.pk)
    page = client.get(url(world), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 3s"' in page.content.decode()
    assert "HX-Request" in page["Vary"]
    assert packets.render_pending() == 1
    packet.refresh_from_db()
    assert packet.status == "ready"
    assert packet.pages >= 3
    assert packet.certificates >= 3
    assert PNR not in packet.file.name
    download = client.get(url(world, f"paket/{packet.pk}.pdf"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert _logged(world.trainee.user) == 1
    supervisor = login(world.supervisor)
    assert supervisor.get(url(world, f"paket/{packet.pk}.pdf")).status_code == 200


def test_a_broker_outage_does_not_break_the_request_and_the_scan_renders(
    setup, login, django_capture_on_commit_callbacks
):
    world, _course = setup
    client = login(world.trainee.user)
    with (
        mock.patch(
            "trainees.tasks.render_certificate_packet.delay", side_effect=ConnectionError("down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert client.post(url(world, "paket/"), {"kind": "bt"}).status_code == 302
    packet = CertificatePacket.unscoped.get()
    assert packet.kind == "bt"
    assert packet.status == "pending"
    from trainees.tasks import render_pending_packets

    assert render_pending_packets.apply().get() == 1
    packet.refresh_from_db()
    assert packet.status == "ready"


def test_a_packet_is_claimed_once(setup):
    world, _course = setup
    packet = CertificatePacket.unscoped.create(
        region=world.region, trainee=world.trainee, requested_by=world.trainee.user
    )
    assert packets.claim(packet.pk) is not None
    assert packets.claim(packet.pk) is None
    assert packets.render_pending() == 0


def test_a_second_request_while_waiting_reuses_the_row(setup):
    world, _course = setup
    first = packets.packet_request(trainee=world.trainee, kind="st", by=world.trainee.user)
    again = packets.packet_request(trainee=world.trainee, kind="st", by=world.trainee.user)
    assert first.pk == again.pk
    assert CertificatePacket.unscoped.count() == 1


def test_unknown_packet_kind_is_refused_in_swedish(setup, login):
    world, _course = setup
    world.trainee.bt_end = None
    world.trainee.save(update_fields=["bt_end"])
    client = login(world.trainee.user)
    response = client.post(url(world, "paket/"), {"kind": "bt"}, follow=True)
    assert "Den ansökan finns inte för din föreskrift." in response.content.decode()
    assert not CertificatePacket.unscoped.exists()


def test_failed_render_is_retried_then_failed_without_personal_data_in_the_log(setup, caplog):
    world, _course = setup
    packet = CertificatePacket.unscoped.create(
        region=world.region, trainee=world.trainee, requested_by=world.trainee.user
    )
    with (
        mock.patch("trainees.certificates.packets.packet_pdf", side_effect=RuntimeError(PNR)),
        caplog.at_level(logging.INFO),
    ):
        for _attempt in range(packets.MAX_ATTEMPTS):
            packets.render_pending()
    packet.refresh_from_db()
    assert packet.status == "failed"
    assert packet.last_error == "RuntimeError"
    assert PNR not in caplog.text


def test_staff_cannot_request_a_packet(setup, login):
    world, _course = setup
    assert login(world.supervisor).post(url(world, "paket/"), {"kind": "st"}).status_code == 403
    assert not CertificatePacket.unscoped.exists()


def test_another_trainee_cannot_download_a_packet(setup, login):
    world, _course = setup
    packet = CertificatePacket.unscoped.create(
        region=world.region, trainee=world.trainee, requested_by=world.trainee.user
    )
    packets.render_pending()
    client = login(world.other_trainee.user)
    assert client.get(url(world, f"paket/{packet.pk}.pdf")).status_code == 404
    mine = url(world, f"paket/{packet.pk}.pdf", pk=world.other_trainee.pk)
    assert client.get(mine).status_code == 404


# --- The benchmark command -------------------------------------------------------------------


@pytest.mark.slow
def test_bench_certificates_prints_its_figures(setup):
    world, _course = setup
    out = StringIO()
    call_command(
        "bench_certificates",
        "--trainee",
        world.trainee.user.email,
        "--certificates",
        "3",
        "--runs",
        "1",
        stdout=out,
    )
    text = out.getvalue()
    assert "Ett intyg" in text
    assert " s" in text
    assert "Paket med 3 intyg" in text
    assert "MB" in text


# --- Completeness and absence, on a small setup ---------------------------------------------


def test_signed_off_record_makes_its_certificate_complete(world):
    trainee = world.trainee
    course = Activity.unscoped.create(
        region=world.region,
        trainee=trainee,
        created_by=world.supervisor,
        kind="course",
        title="Kurs i etik",
        start=date(2025, 3, 3),
        end=date(2025, 3, 5),
        goal_codes=["STa4"],
        leader_name="Eva Etik",
    )
    with region_context(world.region):
        draft = find(drafts_for(trainee), f"kurs-{course.pk}")
        assert not draft.complete
        assert draft.signer.name == "Eva Etik"
        assert draft.fields["capacity"] == "kursledare"
        GoalSignoff.unscoped.create(
            region=world.region,
            trainee=trainee,
            goal_code="STa4",
            signed_by=world.supervisor,
            party="main_supervisor",
            evidence=[f"activity:{course.pk}"],
            content_hash="0" * 64,
        )
        draft = find(drafts_for(trainee), f"kurs-{course.pk}")
    assert draft.complete
    assert draft.signer.user_id == world.supervisor.pk
    assert draft.fields["capacity"] == "handledare"


def test_absence_is_taken_off_the_service_list(world):
    trainee = world.trainee  # 2021:8, start 2025-01-13, BT to 2025-12-31, 100 %
    Absence.unscoped.create(
        region=world.region,
        trainee=trainee,
        created_by=world.supervisor,
        kind="sick",
        start=date(2025, 2, 13),
        end=date(2025, 3, 12),
    )
    with region_context(world.region):
        draft = find(drafts_for(trainee, today=date(2026, 1, 12)), "tjanstgoring")
    [row] = draft.fields["rows"]
    # 2025-01-13..2026-01-12 less the 28 days Feb 13..Mar 12 (spec 1.1: the days come
    # off the end): 2025-01-13 to 2025-12-16 = 11 months + 3/31 → 11.1
    assert (row.start, row.end, row.fte_months, row.absence_days) == (
        date(2025, 1, 13),
        date(2026, 1, 12),
        Decimal("11.1"),
        28,
    )
    assert draft.fields["sum"] == Decimal("11.1")
