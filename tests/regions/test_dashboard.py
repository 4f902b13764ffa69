"""The study director's dashboard: matrix, filters, exports, trainees at risk."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from obligations import snapshot
from tests.clock import FROZEN_TODAY
from tests.factories import (
    AssignmentFactory,
    HistoricalEventFactory,
    SupervisionMeetingFactory,
    TraineeFactory,
)
from trainees.models import Trainee

# Statuses and countdowns count from today; the world's dates are fixed.
pytestmark = pytest.mark.usefixtures("frozen_clock")
URL = "/blekinge/studierektor/"
RISK_URL = "/blekinge/studierektor/riskzon/"


def refresh_all() -> None:
    for pk in Trainee.unscoped.values_list("pk", flat=True):
        snapshot.refresh_trainee(pk)


@pytest.fixture
def dashboard(world, elsewhere):
    """The world's trainees evaluated; the trainee's contract was signed on time."""
    HistoricalEventFactory(
        region=world.region, trainee=world.trainee, type="contract_signed", date=date(2025, 1, 20)
    )
    refresh_all()
    return world


def test_the_matrix_shows_status_in_words_and_the_due_date(dashboard, login):
    page = login(dashboard.study_director).get(URL).text
    assert "Trainee Traineeblekinge" in page
    assert "ST-kontrakt" in page  # a column per obligation of the region's profile
    assert '<span aria-hidden="true">✓</span> Klar</span><br><span class="hint">2025-02-13' in page
    assert "Försenad" in page  # the IUP was due 2025-07-13 and is not approved


def test_filters_narrow_the_rows_and_keep_the_url_shareable(dashboard, login):
    client = login(dashboard.study_director)
    extra = TraineeFactory(home_unit=dashboard.unit, user__email="bt.person@blekinge.test")
    extra.bt_end = FROZEN_TODAY + timedelta(days=100)
    extra.save()
    AssignmentFactory(trainee=extra, user=dashboard.study_director, role="study_director")
    refresh_all()
    bt_only = client.get(URL, {"fas": "BT"}).text
    assert "Bt Person" in bt_only
    assert "Trainee Traineeblekinge" not in bt_only
    assert "fas=BT" in bt_only  # export links carry the filters
    overdue = client.get(URL, {"status": "overdue", "sortering": "forsenade"}).text
    assert "Trainee Traineeblekinge" in overdue


def test_most_overdue_sorts_first_and_one_with_nothing_overdue_last(dashboard, login):
    client = login(dashboard.study_director)
    newcomer = TraineeFactory(
        home_unit=dashboard.unit,
        user__email="ny.person@blekinge.test",
        start_date=FROZEN_TODAY,
    )
    AssignmentFactory(trainee=newcomer, user=dashboard.study_director, role="study_director")
    refresh_all()
    by_name = client.get(URL, {"sortering": "namn"}).text
    assert by_name.index("Ny Person") < by_name.index("Trainee Traineeblekinge")
    by_overdue = client.get(URL, {"sortering": "forsenade"}).text
    assert by_overdue.index("Trainee Traineeblekinge") < by_overdue.index("Ny Person")


def test_htmx_redraws_only_the_matrix(dashboard, login):
    response = login(dashboard.study_director).get(URL, {"fas": "ST"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="matrix"')
    assert "riskzonen" not in response.text
    assert "HX-Request" in response["Vary"]


def test_the_csv_and_xlsx_exports_hold_the_filtered_rows_only(dashboard, login):
    client = login(dashboard.study_director)
    response = client.get("/blekinge/studierektor/export.csv")
    assert response["Content-Disposition"].startswith('attachment; filename="st-blekinge-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["ST-läkare", "Enhet"]
    names = {row[0] for row in rows[1:]}
    assert names == {"Trainee Traineeblekinge"}  # not the other unit's, not Halland's
    contract_column = rows[0].index("ST-kontrakt")
    assert rows[1][contract_column] == "Klar (2025-02-13)"

    book = load_workbook(io.BytesIO(client.get("/blekinge/studierektor/export.xlsx").content))
    sheet = book.active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))][:2] == ["ST-läkare", "Enhet"]
    assert {r[0].value for r in sheet.iter_rows(min_row=2)} == {"Trainee Traineeblekinge"}


def test_outsiders_get_neither_page_nor_export(dashboard, elsewhere, login):
    for path in (URL, "/blekinge/studierektor/export.csv", "/blekinge/studierektor/export.xlsx"):
        assert login(dashboard.trainee.user).get(path).status_code == 403
        response = login(elsewhere.study_director).get(path)
        assert response.status_code == 404
        assert "Traineeblekinge" not in response.content.decode("utf-8", "replace")


def test_trainees_at_risk_are_listed_with_their_reasons(dashboard, login):
    SupervisionMeetingFactory(
        region=dashboard.region,
        trainee=dashboard.trainee,
        supervisor=dashboard.supervisor,
        created_by=dashboard.supervisor,
        date=FROZEN_TODAY - timedelta(days=70),
        minutes=45,
    )
    page = login(dashboard.study_director).get(RISK_URL).text
    risk = page[page.index('id="risks"') :]
    assert "Trainee Traineeblekinge" in risk
    assert "Inget handledarsamtal på 8 veckor" in risk
    assert "IUP upprättad och godkänd försenad sedan 2025-07-13" in risk
    assert "Inget delmål intygat på 6 månader" in risk
    assert f"/st/{dashboard.trainee.pk}/atgardsplan/ny/" in risk  # their study director plans


def test_a_recent_meeting_clears_that_reason(dashboard, login):
    SupervisionMeetingFactory(
        region=dashboard.region,
        trainee=dashboard.trainee,
        supervisor=dashboard.supervisor,
        created_by=dashboard.supervisor,
        date=FROZEN_TODAY - timedelta(days=3),
        minutes=45,
    )
    page = login(dashboard.study_director).get(RISK_URL).text
    assert "Trainee Traineeblekinge" in page  # still at risk, for the other reasons
    assert "Inget handledarsamtal på 8 veckor" not in page


def test_the_dashboard_costs_the_same_queries_at_two_sizes(
    dashboard, login, django_assert_num_queries
):
    client = login(dashboard.study_director)
    client.get(URL)
    client.get(RISK_URL)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> tuple[int, int]:
        cache.clear()  # the risk list computed, not found in the cache
        sizes = []
        for url in (URL, RISK_URL):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            sizes.append(len(captured))
        return sizes[0], sizes[1]

    small = count()
    for index in range(60):
        trainee = TraineeFactory(
            home_unit=dashboard.unit,
            user__email=f"many{index}@blekinge.test",
        )
        SupervisionMeetingFactory(
            region=dashboard.region,
            trainee=trainee,
            supervisor=dashboard.supervisor,
            created_by=dashboard.supervisor,
            date=date(2025, 3, 1),
            minutes=30,
        )
    refresh_all()
    assert count() == small


def test_min_st_lists_obligations_next_due_first_each_linking_to_where_it_is_done(world, login):
    page = login(world.trainee.user).get("/blekinge/min-st/").text
    obligations = page[page.index('id="obl-heading"') : page.index('id="docs-heading"')]
    assert f'<a href="/blekinge/st/{world.trainee.pk}/kontrakt/">ST-kontrakt</a>' in obligations
    assert (
        f'<a href="/blekinge/st/{world.trainee.pk}/iup/">IUP upprättad och godkänd</a>'
        in obligations
    )
    overdue = obligations.index("obligation--overdue")
    assert overdue < obligations.index("obligation--open")


def test_the_head_of_unit_sees_countdowns_to_the_next_reviews(world, elsewhere, login):
    from dateutil.relativedelta import relativedelta

    from inspections.models import Inspection

    today = FROZEN_TODAY
    Inspection.unscoped.create(
        region=world.region,
        unit=world.unit,
        kind="external_inspection",
        performed_on=today - relativedelta(years=5) + timedelta(days=20),
    )
    Inspection.unscoped.create(
        region=world.region,
        unit=world.unit,
        kind="self_assessment",
        performed_on=today - relativedelta(years=2) - timedelta(days=5),
    )
    page = login(world.head_of_unit).get("/blekinge/verksamhetschef/").text
    reviews = page[page.index('id="reviews-heading"') :]
    assert "Extern granskning (SPUR)" in reviews
    assert "om 20 dagar" in reviews
    assert "Självvärdering" in reviews
    assert "5 dagar sedan" in reviews
    assert "Försenad" in reviews
    assert world.other_unit.name not in reviews  # not a unit this head holds
    assert login(elsewhere.head_of_unit).get("/blekinge/verksamhetschef/").status_code == 404
    assert login(world.trainee.user).get("/blekinge/verksamhetschef/").status_code == 403


def test_the_region_page_shows_blekinges_measures_against_their_targets(
    dashboard, elsewhere, login
):
    from inspections.models import Inspection
    from supervision.models import SupervisorTraining

    SupervisorTraining.objects.create(
        user=dashboard.supervisor, kind="supervisor_training_basic", date=date(2019, 5, 1)
    )
    Inspection.unscoped.create(
        region=dashboard.region,
        unit=dashboard.unit,
        kind="external_inspection",
        performed_on=FROZEN_TODAY - timedelta(days=400),
    )
    page = login(dashboard.regional_study_director).get("/blekinge/region/").text
    measures = page[page.index('id="measures-heading"') : page.index('id="trend-heading"')]

    def row(text: str) -> str:
        start = measures.index(text)
        return measures[start : measures.index("</tr>", start)]

    assert '50 % <span class="hint">(1/2)</span>' in row("skriftligt ST-kontrakt")
    assert '100 % <span class="hint">(1/1)</span>' in row("huvudhandledare som genomgått")
    assert '50 % <span class="hint">(1/2)</span>' in row("extern granskning de senaste fem")
    assert "Inte uppnått" in row("extern granskning de senaste fem")
    assert "Uppnått" in row("huvudhandledare som genomgått")
    assert "registreras inte" in row("fullföljer sin ST")
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert 'role="img"' in page
    assert login(elsewhere.regional_study_director).get("/blekinge/region/").status_code == 404
    assert login(dashboard.study_director).get("/blekinge/region/").status_code == 403


def test_regions_without_yearly_measures_still_show_compliance(elsewhere, login):
    refresh_all()
    page = login(elsewhere.regional_study_director).get("/halland/region/").text
    assert 'id="measures-heading"' not in page
    assert "Skyldigheter klara i tid, per månad" in page
    assert elsewhere.unit.name in page
    # Each unit links to its own page.
    link = f'<a href="/halland/enheter/{elsewhere.unit.pk}/">{elsewhere.unit.name}</a>'
    assert link in page
    client = login(elsewhere.regional_study_director)
    assert elsewhere.unit.name in client.get(f"/halland/enheter/{elsewhere.unit.pk}/").text


def test_the_dashboard_lists_the_units_supervisors_with_their_qualification(dashboard, login):
    from supervision.models import SupervisorTraining

    SupervisorTraining.objects.create(
        user=dashboard.supervisor, kind="supervisor_training_basic", date=date(2019, 5, 1)
    )
    client = login(dashboard.study_director)
    page = client.get(URL).text
    section = page[page.index('id="supervisors-heading"') :]
    # Loaded when scrolled into view (a link without JavaScript), so the page stays fast.
    assert 'hx-get="/blekinge/handledare/enheter/"' in section
    assert 'hx-select="#supervisors-table"' in section
    table = client.get("/blekinge/handledare/enheter/").text
    assert 'id="supervisors-table"' in table
    assert "Supervisor Supervisorblekinge" in table
    assert "Specialistkompetens är inte registrerad." in table


def test_norrbotten_shows_the_study_director_hours_guideline(db, login):
    from tests.factories import world_build

    north = world_build(slug="norrbotten", name="Region Norrbotten")
    page = login(north.study_director).get("/norrbotten/studierektor/").text
    assert "2 timmar per vecka för 1 BT- och ST-läkare" in page


def test_a_long_risk_list_shows_the_most_reasons_first_and_says_how_many_more(dashboard, login):
    for index in range(30):
        TraineeFactory(
            home_unit=dashboard.unit,
            user__email=f"risk{index}@blekinge.test",
        )
    refresh_all()
    page = login(dashboard.study_director).get(RISK_URL).text
    risk = page[page.index('id="risks"') :]
    assert "Visar de 25 med flest skäl av 31 i riskzonen." in risk
    assert risk[: risk.index("</table>")].count('<th scope="row">') == 25


def test_the_units_load_when_scrolled_into_view_with_their_counts(dashboard, elsewhere, login):
    client = login(dashboard.study_director)
    page = client.get(URL).text
    section = page[page.index('id="units-heading"') : page.index('id="supervisors-heading"')]
    assert 'hx-get="/blekinge/studierektor/enheter/"' in section
    assert dashboard.unit.name not in section  # not rendered with the dashboard itself
    units = client.get("/blekinge/studierektor/enheter/").text
    table = units[units.index('id="units-table"') :]
    row = table[table.index(dashboard.unit.name) :]
    assert '<td class="num">1</td>' in row[: row.index("</tr>")]  # one trainee
    assert dashboard.other_unit.name not in table  # not this study director's unit
    assert login(dashboard.trainee.user).get("/blekinge/studierektor/enheter/").status_code == 403
    outsider = login(elsewhere.study_director).get("/blekinge/studierektor/enheter/")
    assert outsider.status_code == 404
    assert dashboard.unit.name not in outsider.content.decode("utf-8", "replace")


def test_the_head_of_unit_and_min_st_pages_cost_the_same_queries_at_two_sizes(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inspections.models import Inspection, InspectionMeasure
    from regions.models import Membership, Unit

    def count(user, url: str) -> int:
        client = login(user)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    head = count(world.head_of_unit, "/blekinge/verksamhetschef/")
    mine = count(world.trainee.user, "/blekinge/min-st/")
    for index in range(8):
        unit = Unit.unscoped.create(
            region=world.region,
            name=f"Enhet {index}",
            kind="clinic",
            specialty=world.unit.specialty,
        )
        Membership.unscoped.create(
            user=world.head_of_unit, region=world.region, role="head_of_unit", unit=unit
        )
        review = Inspection.unscoped.create(
            region=world.region,
            unit=unit,
            kind="external_inspection",
            performed_on=date(2024, 1, 1),
        )
        InspectionMeasure.unscoped.create(
            region=world.region,
            inspection=review,
            description=f"Åtgärd {index}",
            owner=world.head_of_unit,
            due=date(2027, 1, 1),
        )
        TraineeFactory(
            region=world.region, home_unit=unit, user__email=f"more{index}@blekinge.test"
        )
        SupervisionMeetingFactory(
            region=world.region,
            trainee=world.trainee,
            supervisor=world.supervisor,
            created_by=world.supervisor,
            date=date(2025, 3, 1) + timedelta(days=7 * index),
            minutes=30,
        )
    refresh_all()
    assert count(world.head_of_unit, "/blekinge/verksamhetschef/") == head
    assert count(world.trainee.user, "/blekinge/min-st/") == mine


def test_the_risk_list_loads_when_scrolled_into_view_and_follows_the_filters(
    dashboard, elsewhere, login
):
    client = login(dashboard.study_director)
    page = client.get(URL, {"fas": "ST"}).text
    section = page[page.index('id="risk-heading"') : page.index('id="units-heading"')]
    assert f'hx-get="{RISK_URL}?fas=ST"' in section
    assert 'hx-trigger="revealed"' in section
    assert "Trainee Traineeblekinge" not in section  # not computed with the dashboard itself
    # Without JavaScript the same list is a link away, for the same selection.
    assert f'<a href="{RISK_URL}?fas=ST">' in section
    assert "Trainee Traineeblekinge" in client.get(RISK_URL, {"fas": "ST"}).text
    assert "Trainee Traineeblekinge" not in client.get(RISK_URL, {"fas": "BT"}).text
    # htmx gets the list alone.
    fragment = client.get(RISK_URL, HTTP_HX_REQUEST="true").text
    assert fragment.lstrip().startswith('<div id="risks">')
    # A new selection in the filters renews the list out of band; turning a page does not.
    filters = client.get(URL, {"fas": "BT"}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="filters").text
    assert f'hx-get="{RISK_URL}?fas=BT"' in filters
    assert 'hx-swap-oob="true"' in filters
    paging = client.get(URL, {"fas": "BT", "sida": "1"}, HTTP_HX_REQUEST="true").text
    assert 'id="risks"' not in paging
    assert login(dashboard.trainee.user).get(RISK_URL).status_code == 403
    outsider = login(elsewhere.study_director).get(RISK_URL)
    assert outsider.status_code == 404
    assert "Traineeblekinge" not in outsider.text


def test_the_risk_list_is_cached_until_a_record_changes(dashboard, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stprogram.changes import record_change

    client = login(dashboard.study_director)
    first = client.get(RISK_URL, HTTP_HX_REQUEST="true").text
    assert "Inget handledarsamtal på 8 veckor" in first
    with CaptureQueriesContext(connection) as again:
        assert client.get(RISK_URL, HTTP_HX_REQUEST="true").text == first
    assert not any("regions_obligationstatus" in q["sql"] for q in again.captured_queries)

    # A meeting logged the way every change is, through record_change: the list follows.
    meeting = SupervisionMeetingFactory(
        region=dashboard.region,
        trainee=dashboard.trainee,
        supervisor=dashboard.supervisor,
        created_by=dashboard.supervisor,
        date=FROZEN_TODAY - timedelta(days=3),
        minutes=45,
    )
    record_change(
        actor=dashboard.supervisor,
        region_slug="blekinge",
        trainee_id=dashboard.trainee.pk,
        action="meeting_logged",
        obj=meeting,
    )
    after = client.get(RISK_URL).text
    assert "Trainee Traineeblekinge" in after
    assert "Inget handledarsamtal på 8 veckor" not in after
    # Another study director's selection is cached apart.
    assert "Trainee Traineeblekinge" not in client.get(RISK_URL, {"fas": "BT"}).text


# --- The regional study director: the same dashboard over every unit of the region ----------


def test_the_regional_study_director_sees_every_unit_of_the_region(dashboard, login):
    client = login(dashboard.regional_study_director)
    page = client.get(URL).text
    assert "Trainee Traineeblekinge" in page
    assert "Other Trainee Othertraineeblekinge" in page  # the other unit's trainee too
    assert "Traineehalland" not in page
    assert f'<option value="{dashboard.other_unit.pk}">' in page  # every unit to filter by
    one_unit = client.get(URL, {"enhet": dashboard.other_unit.pk}).text
    assert "Other Trainee Othertraineeblekinge" in one_unit
    assert "Trainee Traineeblekinge" not in one_unit
    units = client.get("/blekinge/studierektor/enheter/").text
    assert dashboard.unit.name in units
    assert dashboard.other_unit.name in units


def test_the_regional_study_director_exports_and_ranks_the_whole_region(dashboard, login):
    client = login(dashboard.regional_study_director)
    response = client.get("/blekinge/studierektor/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert {row[0] for row in rows[1:]} == {
        "Trainee Traineeblekinge",
        "Other Trainee Othertraineeblekinge",
    }
    risks = client.get(RISK_URL).text
    assert "Other Trainee Othertraineeblekinge" in risks
    # Drawing up a plan is for the trainee's own study director or main supervisor.
    assert "/atgardsplan/ny/" not in risks


def test_the_regional_study_director_finds_the_dashboard_in_the_navigation(dashboard, login):
    client = login(dashboard.regional_study_director)
    assert client.get("/blekinge/")["Location"] == "/blekinge/region/"
    assert f'href="{URL}"' in client.get("/blekinge/region/").text


def test_the_regional_dashboard_is_not_for_another_region_or_another_role(
    dashboard, elsewhere, login
):
    paths = (URL, RISK_URL, "/blekinge/studierektor/enheter/", "/blekinge/studierektor/export.csv")
    for path in paths:
        response = login(elsewhere.regional_study_director).get(path)
        assert response.status_code == 404
        assert "Traineeblekinge" not in response.content.decode("utf-8", "replace")
        for user in (dashboard.head_of_unit, dashboard.regional_admin, dashboard.supervisor):
            assert login(user).get(path).status_code == 403


def test_the_regional_dashboard_costs_the_same_queries_at_two_sizes(dashboard, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(dashboard.regional_study_director)
    paths = (URL, RISK_URL, "/blekinge/studierektor/enheter/")

    def count() -> list[int]:
        cache.clear()  # the risk list computed, not found in the cache
        sizes = []
        for path in paths:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            sizes.append(len(captured))
        return sizes

    client.get(URL)
    small = count()
    for index in range(60):
        unit = dashboard.unit if index % 2 else dashboard.other_unit
        trainee = TraineeFactory(
            region=dashboard.region, home_unit=unit, user__email=f"many{index}@blekinge.test"
        )
        SupervisionMeetingFactory(
            region=dashboard.region,
            trainee=trainee,
            supervisor=dashboard.supervisor,
            created_by=dashboard.supervisor,
            date=date(2025, 3, 1),
            minutes=30,
        )
    refresh_all()
    assert count() == small
