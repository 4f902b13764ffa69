"""Plan, record, findings, the action plan and its follow-up; reminders; bad input."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from inspections.models import Finding, Inspection, InspectionMeasure
from stprogram.models import AuditEvent
from stprogram.reminders.collect import collect


def test_the_head_of_unit_plans_a_review_and_records_it_when_done(world, login):
    client = login(world.head_of_unit)
    planned_on = timezone.localdate() + timedelta(days=60)
    response = client.post(
        f"/blekinge/granskningar/enhet/{world.unit.pk}/ny/",
        {
            "planned_on": planned_on.isoformat(),
            "ordering_body": "LIPUS (SPUR)",
            "inspectors": "Anna Inspektör, Bo Granskare",
        },
    )
    review = Inspection.unscoped.get(unit=world.unit)
    assert response.status_code == 302
    assert review.performed_on is None
    assert review.planned_on == planned_on
    assert review.inspectors == "Anna Inspektör, Bo Granskare"
    overview = client.get("/blekinge/granskningar/").text
    assert planned_on.isoformat() in overview  # shown as planned

    done = timezone.localdate() - timedelta(days=1)
    client.post(
        f"/blekinge/granskningar/{review.pk}/andra/",
        {
            "planned_on": planned_on.isoformat(),
            "performed_on": done.isoformat(),
            "ordering_body": "LIPUS (SPUR)",
            "inspectors": "Anna Inspektör, Bo Granskare",
        },
    )
    review.refresh_from_db()
    assert review.performed_on == done
    page = client.get(f"/blekinge/granskningar/enhet/{world.unit.pk}/").text
    assert (done.replace(year=done.year + 5)).isoformat() in page  # next one in five years
    assert AuditEvent.objects.filter(action="inspection_changed").exists()


def test_bad_dates_are_refused_in_swedish_and_nothing_is_saved(world, login):
    client = login(world.head_of_unit)
    url = f"/blekinge/granskningar/enhet/{world.unit.pk}/ny/"
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    cases = [
        ({"ordering_body": "LIPUS"}, "Ange planerat datum eller datum då den genomfördes."),
        ({"performed_on": tomorrow}, "En granskning kan inte vara genomförd i framtiden."),
        ({"planned_on": "1850-01-01"}, "Datumet måste ligga mellan år 2000"),
        ({"planned_on": "not a date"}, "Fyll i ett giltigt datum."),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in response.text
    assert not Inspection.unscoped.exists()


def test_findings_and_a_measure_make_the_action_plan_that_the_head_of_unit_approves(
    world, review, login
):
    director = login(world.study_director)
    director.post(
        f"/blekinge/granskningar/{review.pk}/fynd/",
        {
            "kind": "deficiency",
            "area": "supervision",
            "severity": "major",
            "text": "Handledarsamtal är inte schemalagda.",
        },
    )
    finding = Finding.unscoped.get()
    due = timezone.localdate() + timedelta(days=90)
    director.post(
        f"/blekinge/granskningar/{review.pk}/atgarder/",
        {
            "description": "Schemalägg handledning varannan vecka",
            "finding": finding.pk,
            "owner": world.head_of_unit.pk,
            "due": due.isoformat(),
        },
    )
    measure = InspectionMeasure.unscoped.get()
    assert measure.finding == finding
    assert measure.owner == world.head_of_unit
    # Only the head of unit approves.
    approve = f"/blekinge/granskningar/{review.pk}/godkann/"
    assert director.post(approve).status_code == 403
    login(world.head_of_unit).post(approve)
    review.refresh_from_db()
    assert review.plan_approved_by == world.head_of_unit
    page = login(world.regional_study_director).get(f"/blekinge/granskningar/{review.pk}/").text
    assert "Handledarsamtal är inte schemalagda." in page
    assert "Godkänd av verksamhetschefen" in page
    assert "Schemalägg handledning varannan vecka" in page


def test_a_measure_and_the_follow_up_are_reminded_to_their_people(world, review, login):
    due = timezone.localdate() + timedelta(days=7)
    InspectionMeasure.unscoped.create(
        region=world.region,
        inspection=review,
        description="Skriv en introduktionsrutin",
        owner=world.study_director,
        due=due,
    )
    login(world.head_of_unit).post(
        f"/blekinge/granskningar/{review.pk}/uppfoljning/",
        {"steg": "datum", "follow_up_due": (due + timedelta(days=30)).isoformat()},
    )
    items = {i.code: i for i in collect(world.region, timezone.localdate())}
    measure = items["inspection_measure"]
    assert measure.recipients == {world.study_director.pk}
    assert measure.due == due
    assert measure.path == f"/blekinge/granskningar/{review.pk}/"
    follow_up = items["inspection_follow_up"]
    assert {world.head_of_unit.pk, world.study_director.pk} <= follow_up.recipients
    # Once done, neither is due any more.
    login(world.study_director).post(
        f"/blekinge/granskningar/{review.pk}/atgarder/{InspectionMeasure.unscoped.get().pk}/klar/"
    )
    login(world.head_of_unit).post(
        f"/blekinge/granskningar/{review.pk}/uppfoljning/",
        {
            "steg": "genomford",
            "followed_up_on": timezone.localdate().isoformat(),
            "follow_up_notes": "Alla åtgärder genomförda.",
        },
    )
    codes = {i.code for i in collect(world.region, timezone.localdate())}
    assert not codes & {"inspection_measure", "inspection_follow_up"}


def test_a_measure_without_owner_or_with_a_past_date_is_refused(world, review, login):
    client = login(world.head_of_unit)
    response = client.post(
        f"/blekinge/granskningar/{review.pk}/atgarder/",
        {"description": "Något", "owner": world.trainee.user.pk, "due": "2020-01-01"},
    )
    assert "Datumet har redan passerat." in response.text
    assert "Välj ett giltigt alternativ" in response.text  # a trainee cannot own it
    assert not InspectionMeasure.unscoped.exists()


def test_a_finding_from_another_units_review_cannot_be_attached(world, review, login):
    other = Inspection.unscoped.create(
        region=world.region,
        unit=world.other_unit,
        kind="external_inspection",
        performed_on=date(2025, 1, 1),
    )
    foreign = Finding.unscoped.create(
        region=world.region,
        inspection=other,
        kind="deficiency",
        area="programme",
        severity="minor",
        text="x",
    )
    response = login(world.head_of_unit).post(
        f"/blekinge/granskningar/{review.pk}/atgarder/",
        {
            "description": "Något",
            "finding": foreign.pk,
            "owner": world.head_of_unit.pk,
            "due": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
    )
    assert "Välj ett giltigt alternativ" in response.text
    assert not InspectionMeasure.unscoped.exists()


def test_the_head_of_unit_page_lists_open_measures_with_their_findings(world, review, login):
    finding = Finding.unscoped.create(
        region=world.region,
        inspection=review,
        kind="deficiency",
        area="supervision",
        severity="major",
        text="Handledning saknas",
    )
    InspectionMeasure.unscoped.create(
        region=world.region,
        inspection=review,
        finding=finding,
        description="Utse handledare",
        owner=world.head_of_unit,
        due=date(2027, 2, 1),
    )
    page = login(world.head_of_unit).get("/blekinge/verksamhetschef/").text
    section = page[page.index('id="findings-heading"') : page.index('id="plans-heading"')]
    assert "Utse handledare" in section
    assert "Brist: Handledning saknas" in section
    assert f'href="/blekinge/granskningar/enhet/{world.unit.pk}/"' in page
