"""Issue 25 item 3: each role's start page begins with counts that link to their lists."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from obligations.regional_metrics import Month, compliance_chart
from obligations.review_attention import is_urgent
from obligations.unit_reviews import Countdown
from regions.models import ObligationStatus
from tests.factories import AssignmentFactory, TraineeFactory

SD = "/blekinge/studierektor/"


def _status(trainee, code: str, *, strength: str, due: date) -> None:
    ObligationStatus.unscoped.create(
        region=trainee.region,
        trainee=trainee,
        code=code,
        period="1",
        strength=strength,
        due=due,
        evaluated_on=timezone.localdate(),
    )


@pytest.fixture
def needs(world):
    """The trainee has an overdue must; a second trainee has a should due in ten days."""
    today = timezone.localdate()
    _status(world.trainee, "contract", strength="must", due=today - timedelta(days=3))
    soon = TraineeFactory(
        region=world.region, home_unit=world.unit, user__email="soon@blekinge.test"
    )
    AssignmentFactory(trainee=soon, user=world.study_director, role="study_director")
    _status(soon, "development_talk", strength="should", due=today + timedelta(days=10))
    world.soon = soon
    return world


def _count(page: str, label: str) -> tuple[str, str]:
    """(the number, the link) of the count with `label`."""
    match = re.search(
        r'<a class="count[^"]*" href="([^"]+)">\s*<span class="count__number">(\d+)</span>\s*'
        rf'<span class="count__label">{re.escape(label)}</span>',
        page,
    )
    assert match, f"no count {label!r}"
    return match.group(2), match.group(1).replace("&amp;", "&")


def test_the_study_directors_counts_link_to_the_matching_rows(needs, login):
    client = login(needs.study_director)
    page = client.get(SD).text
    n, url = _count(page, "ST-läkare med försenat ska-krav")
    assert (n, url) == ("1", f"{SD}?status=overdue_must#matrix")
    matrix = client.get(url.split("#")[0]).text
    assert needs.trainee.user.last_name in matrix
    assert needs.soon.user.last_name not in matrix
    n, url = _count(page, "ST-läkare med något som förfaller inom 30 dagar")
    assert n == "1"
    matrix = client.get(url.split("#")[0]).text
    assert needs.soon.user.last_name in matrix
    assert needs.trainee.user.last_name not in matrix
    _n, url = _count(page, "ST-läkare i riskzonen")
    assert client.get(url).status_code == 200
    _n, url = _count(page, "Granskningar inom 90 dagar som inte är planerade")
    assert client.get(url).status_code == 200


def test_the_supervisors_counts_point_to_their_own_lists(needs, login):
    page = login(needs.supervisor).get("/blekinge/handledare/").text
    assert _count(page, "ST-läkare med försenat ska-krav") == ("1", "#trainees")
    assert _count(page, "Väntar på mig") == ("0", "#queue")
    assert 'id="trainees"' in page
    assert 'id="queue"' in page


def test_head_of_unit_and_region_begin_with_the_counts(needs, login):
    page = login(needs.head_of_unit).get("/blekinge/verksamhetschef/").text
    assert _count(page, "ST-läkare med försenat ska-krav") == ("1", "#units")
    page = login(needs.regional_study_director).get("/blekinge/region/").text
    assert _count(page, "ST-läkare med något som förfaller inom 30 dagar")[0] == "1"


def test_the_regional_admin_sees_counts_without_a_list_they_may_not_open(needs, login):
    page = login(needs.regional_admin).get("/blekinge/region/").text
    assert '<span class="count count--bad">' in page
    assert "?status=overdue_must" not in page


def test_a_review_due_within_90_days_is_urgent_one_due_later_is_not():
    def review(days: int, status: str = "open") -> Countdown:
        return Countdown("external_review", date(2027, 1, 1), status, days, None)

    assert is_urgent(review(20))
    assert is_urgent(review(-5, "overdue"))
    assert not is_urgent(review(400))
    assert not is_urgent(review(20, "done"))


def test_the_chart_says_0_percent_for_a_month_with_nothing_on_time():
    svg = compliance_chart([Month(date(2026, 1, 1), 4, 0), Month(date(2026, 2, 1), 0, 0)])
    assert svg.count('class="chart__zero">0 %</text>') == 1
