"""Invitations for everyone imported (issue 24, item 3): in batches by the worker, never twice."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from regions.onboarding.invitations import LEASE, claim_batch, send_batch, send_one
from regions.onboarding.models import OnboardingInvitation
from regions.onboarding.services import onboarding_import
from regions.tenancy import region_context
from stprogram.models import AuditEvent, Invitation
from tests.factories import world_build
from tests.regions import onboarding_files as f
from trainees.models import Trainee

NEW_ACCOUNTS = 5  # a head of unit, a study director, a supervisor and two trainees


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver-site"


def _import(world, n_trainees: int = 2) -> None:
    with region_context(world.region):
        onboarding_import(
            region=world.region,
            by=world.regional_admin,
            files=[("region.xlsx", f.full(n_trainees=n_trainees))],
            progress=lambda share: None,
        )


def _invited() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_everyone_imported_gets_one_invitation_and_a_rerun_sends_none(
    world, django_capture_on_commit_callbacks
):
    _import(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_batch() == NEW_ACCOUNTS
    assert len(_invited()) == len(set(_invited())) == NEW_ACCOUNTS
    assert "st0@blekinge.test" in _invited()
    message = next(m for m in mail.outbox if m.to == ["st0@blekinge.test"])
    assert "Välj ditt lösenord här" in message.body
    assert "http://testserver-site/inbjudan/" in message.body
    trainee = Trainee.unscoped.get(user__email="st0@blekinge.test")
    assert Invitation.objects.get(user=trainee.user).trainee_id == trainee.pk
    assert AuditEvent.objects.filter(action="invitation_sent").count() == NEW_ACCOUNTS
    _import(world)  # the same file again
    with django_capture_on_commit_callbacks(execute=True):
        assert send_batch() == 0
    assert len(_invited()) == NEW_ACCOUNTS


def test_invitations_go_out_in_batches(world, settings, django_capture_on_commit_callbacks):
    settings.STPROGRAM_ONBOARDING_INVITATION_BATCH = 2
    _import(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert [send_batch() for _ in range(4)] == [2, 2, 1, 0]
    assert len(set(_invited())) == NEW_ACCOUNTS


def test_a_run_whose_lease_ran_out_sends_nothing_for_the_rows_taken_over(
    world, django_capture_on_commit_callbacks
):
    _import(world)
    slow_token, slow_rows = claim_batch(100)
    # The slow run stalls past its lease; the next scheduled run takes the rows over.
    later = timezone.now() + LEASE + timedelta(seconds=1)
    fast_token, fast_rows = claim_batch(100, now=later)
    assert {r.pk for r in fast_rows} == {r.pk for r in slow_rows}
    assert claim_batch(100, now=later)[1] == []  # a third run finds nothing to take
    with django_capture_on_commit_callbacks(execute=True):
        assert sum(send_one(r, fast_token) for r in fast_rows) == NEW_ACCOUNTS
        assert sum(send_one(r, slow_token) for r in slow_rows) == 0
    assert len(_invited()) == len(set(_invited())) == NEW_ACCOUNTS
    assert Invitation.objects.count() == NEW_ACCOUNTS


def test_with_the_identity_provider_the_mail_says_to_log_in_with_it(
    world, settings, django_capture_on_commit_callbacks
):
    settings.OIDC_SERVER_URL = "https://idp.example"
    _import(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_batch() == NEW_ACCOUNTS
    message = next(m for m in mail.outbox if m.to == ["st1@blekinge.test"])
    assert "Logga in med ditt SITHS-kort" in message.body
    assert "/inbjudan/" not in message.body
    assert not Invitation.objects.exists()
    assert not OnboardingInvitation.unscoped.filter(sent_at__isnull=True).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_invite_each_person_exactly_once(settings):

    world = world_build(slug="blekinge", name="Region Blekinge")
    settings.STPROGRAM_ONBOARDING_INVITATION_BATCH = 3
    _import(world, n_trainees=12)
    owed = OnboardingInvitation.unscoped.count()
    start = threading.Barrier(2)
    sent: list[int] = []

    def worker() -> None:
        try:
            start.wait()
            while n := send_batch():
                sent.append(n)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent) == owed
    assert len(_invited()) == len(set(_invited())) == owed
    assert Invitation.objects.count() == owed
