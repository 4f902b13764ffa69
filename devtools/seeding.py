"""The one way to seed development data: demo regions for people, synthetic trainees for benchmarks.

Benchmarks, the load test, the tests and `seed_demo` seed through these
functions; the modules behind them (`devtools.demo`, `devtools.synthetic`,
`devtools.national_scale`) are private to this app.
"""

from __future__ import annotations

from typing import Any

from devtools import demo, national_scale, synthetic
from regions.models import Region
from regions.rules.engine import Portfolio

# The password every demo account shares (README, "Demo logins").
DEMO_PASSWORD = demo.DEMO_PASSWORD
# The demo regions, slug -> name; the synthetic trainees live in the same five.
DEMO_REGIONS = demo.REGIONS
# The staff in every demo region: e-mail local part -> (first name, last name).
DEMO_STAFF = demo.STAFF
# The study director who works in two demo regions (the region switcher).
DEMO_TWO_REGION_EMAIL = demo.TWO_REGION_USER[0]


def seed_demo_regions(*, if_empty: bool = False) -> bool:
    """Create or refresh the demo data (idempotent); returns whether it seeded.

    With `if_empty`, only into a database without regions (`make run`'s first start).
    """
    if if_empty and Region.objects.exists():
        return False
    demo.seed_demo()
    return True


def demo_logins() -> list[tuple[str, str]]:
    """(e-mail, what the account is) of the documented demo accounts."""
    return demo.demo_logins()


def seed_synthetic_trainees(*, portfolios: list[Portfolio], first: int = 0) -> list[Region]:
    """One trainee per engine portfolio, with its events, in each region's benchmark unit.

    Users are numbered from `first`, so several calls can seed in chunks. Bulk
    inserts only: no audit lines and no stored statuses. Returns the regions.
    """
    return synthetic.seed_trainees(portfolios, first=first)


def seed_national_scale(
    *, trainees: int, units: int, events_per_trainee: int
) -> tuple[dict[str, Any], list[Region]]:
    """`trainees` synthetic trainees over `units` units, with staff, supervisors and reviews.

    Deterministic (fixed random seed). Returns the counts seeded (trainees,
    units, supervisors) and the regions.
    """
    return national_scale.seed_national_scale(trainees, units, events_per_trainee)
