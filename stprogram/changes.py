"""A change to a trainee's records: the audit line, then the trainee's derived data.

Services call `record_change` where a training record changes. It writes the
audit line (`stprogram.signing.audit`, which does nothing else) and then calls
every listener registered with `on_trainee_change`. The obligations layer
registers one (`obligations.apps`): it re-stores the trainee's obligations for
the dashboards. The registry keeps this base package from importing the layer
above it; the listener list is the whole of the indirection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from stprogram.signing import audit

if TYPE_CHECKING:
    from stprogram.models import AuditEvent, User

TraineeListener = Callable[[int], None]

_listeners: list[TraineeListener] = []


def on_trainee_change(listener: TraineeListener) -> TraineeListener:
    """Call `listener(trainee_id)` after every recorded change to a trainee's records."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def record_change(
    *,
    actor: User,
    region_slug: str,
    trainee_id: int,
    action: str,
    obj: object,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one change to a trainee's records and bring what is derived from them up to date."""
    for listener in _listeners:
        listener(trainee_id)
    return audit(
        actor=actor,
        region_slug=region_slug,
        trainee_id=trainee_id,
        action=action,
        obj=obj,
        details=details,
    )


def record_trainee_change(
    trainee: Any, by: User, action: str, obj: object, **details: Any
) -> AuditEvent:
    """`record_change` for one trainee (the trainee's region and id are implied)."""
    return record_change(
        actor=by,
        region_slug=trainee.region.slug,
        trainee_id=trainee.pk,
        action=action,
        obj=obj,
        details=details,
    )
