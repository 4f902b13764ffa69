"""The regions app's tasks, found by Celery's autodiscovery (`<app>.tasks`)."""

from __future__ import annotations

from regions.onboarding.tasks import (
    run_onboarding,
    run_pending_onboardings,
    send_onboarding_invitations,
)

__all__ = ["run_onboarding", "run_pending_onboardings", "send_onboarding_invitations"]
