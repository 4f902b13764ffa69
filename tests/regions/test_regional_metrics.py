"""The region page's compliance over the last twelve months."""

from __future__ import annotations

from datetime import date

from obligations.regional_metrics import compliance_by_month
from regions.models import ObligationStatus
from regions.tenancy import region_context

ON = date(2026, 6, 15)


def status(world, due: date, done_on: date | None) -> None:
    ObligationStatus.unscoped.create(
        region=world.region,
        trainee=world.trainee,
        code=f"code-{due}-{done_on}",
        strength="must",
        due=due,
        done_on=done_on,
        evaluated_on=ON,
    )


def test_each_month_counts_what_fell_due_in_it_and_what_was_done_on_time(world, elsewhere):
    status(world, date(2026, 3, 2), date(2026, 3, 1))  # on time
    status(world, date(2026, 3, 30), date(2026, 4, 5))  # late
    status(world, date(2026, 3, 31), None)  # never done
    status(world, date(2026, 5, 10), date(2026, 5, 10))  # on time, on the day
    status(world, date(2025, 6, 30), None)  # before the twelve months
    status(world, date(2026, 6, 20), None)  # not yet due
    status(elsewhere, date(2026, 3, 2), None)  # another region's
    with region_context(world.region):
        months = compliance_by_month(ON)
    assert [m.month for m in months][::11] == [date(2025, 7, 1), date(2026, 6, 1)]
    by_month = {m.month: (m.due, m.on_time) for m in months}
    assert by_month[date(2026, 3, 1)] == (3, 1)
    assert by_month[date(2026, 5, 1)] == (1, 1)
    assert sum(due for due, _on_time in by_month.values()) == 4


def test_the_region_page_lists_units_lowest_share_on_time_first(world, login):
    from django.core.cache import cache

    from regions.models import Unit

    status(world, date(2020, 3, 2), date(2020, 3, 1))  # on time
    status(world, date(2020, 3, 30), None)  # never done
    quiet = Unit.unscoped.create(
        region=world.region, name="<b>Tyst</b> & enhet", specialty=world.unit.specialty
    )
    cache.clear()
    page = login(world.regional_admin).get("/blekinge/region/").text
    units = page[page.index('id="units-heading"') : page.index('id="roles-heading"')]
    mine = f'<a href="/blekinge/enheter/{world.unit.pk}/">{world.unit.name}</a>'
    row = units[units.index(mine) : units.index("</tr>", units.index(mine))]
    assert '<td class="num">50 % <span class="hint">(1/2)</span></td>' in row
    # A unit without obligations comes last, its name escaped, its share a dash.
    escaped = f'<a href="/blekinge/enheter/{quiet.pk}/">&lt;b&gt;Tyst&lt;/b&gt; &amp; enhet</a>'
    assert units.index(mine) < units.index(escaped)
    last = units[units.index(escaped) :]
    assert '<td class="num">0</td><td class="num">0</td><td class="num">–</td>' in last
