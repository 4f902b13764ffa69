"""Every review page and action against outsiders: another region, another unit, no role."""

from __future__ import annotations

from datetime import date

import pytest

from inspections.models import Finding, Inspection, InspectionMeasure, SelfAssessment
from tests.inspections.conftest import PDF


@pytest.fixture
def records(world, review, private_files):
    from django.core.files.base import ContentFile

    review.report.save("r.pdf", ContentFile(PDF))
    review.report_name = "rapport.pdf"
    review.save()
    finding = Finding.unscoped.create(
        region=world.region,
        inspection=review,
        kind="deficiency",
        area="programme",
        severity="minor",
        text="Hemlig brist",
    )
    measure = InspectionMeasure.unscoped.create(
        region=world.region,
        inspection=review,
        finding=finding,
        description="Hemlig åtgärd",
        owner=world.head_of_unit,
        due=date(2027, 1, 1),
    )
    assessment = SelfAssessment.unscoped.create(
        region=world.region, unit=world.unit, questionnaire="x", started_by=world.head_of_unit
    )
    return {"review": review, "measure": measure, "assessment": assessment}


def urls(world, records) -> list[tuple[str, str]]:
    r, u = records["review"].pk, world.unit.pk
    m, a = records["measure"].pk, records["assessment"].pk
    base = "/blekinge/granskningar"
    return [
        ("get", f"{base}/enhet/{u}/"),
        ("get", f"{base}/enhet/{u}/ny/"),
        ("get", f"{base}/enhet/{u}/underlag/"),
        ("get", f"{base}/enhet/{u}/underlag.pdf"),
        ("post", f"{base}/enhet/{u}/sjalvvardering/"),
        ("get", f"{base}/sjalvvardering/{a}/"),
        ("get", f"{base}/{r}/"),
        ("get", f"{base}/{r}/andra/"),
        ("post", f"{base}/{r}/rapport/"),
        ("get", f"{base}/{r}/rapport.pdf"),
        ("post", f"{base}/{r}/fynd/"),
        ("post", f"{base}/{r}/atgarder/"),
        ("post", f"{base}/{r}/atgarder/{m}/klar/"),
        ("post", f"{base}/{r}/godkann/"),
        ("post", f"{base}/{r}/uppfoljning/"),
    ]


def test_staff_of_the_unit_and_the_region_reach_every_page(world, records, login):
    for user in (world.head_of_unit, world.study_director, world.regional_study_director):
        client = login(user)
        for method, url in urls(world, records):
            if method == "get":
                assert client.get(url).status_code == 200, (user, url)
    assert login(world.regional_admin).get("/blekinge/granskningar/").status_code == 200


def test_a_trainee_and_a_supervisor_get_403_everywhere(world, records, login):
    for user in (world.trainee.user, world.supervisor):
        client = login(user)
        assert client.get("/blekinge/granskningar/").status_code == 403
        for method, url in urls(world, records):
            response = getattr(client, method)(url)
            assert response.status_code == 403, (user, url)
            assert "Hemlig" not in response.content.decode("utf-8", "replace")


def test_another_region_gets_404_and_learns_nothing(world, elsewhere, records, login):
    for user in (elsewhere.head_of_unit, elsewhere.regional_study_director, elsewhere.no_role):
        client = login(user)
        for method, url in [("get", "/blekinge/granskningar/"), *urls(world, records)]:
            response = getattr(client, method)(url)
            assert response.status_code == 404, (user, url)
            assert "Hemlig" not in response.content.decode("utf-8", "replace")


def test_staff_of_another_unit_get_404(world, records, login):
    from regions.models import Membership, Role
    from tests.factories import UserFactory

    neighbour = UserFactory(email="neighbour@blekinge.test")
    Membership.unscoped.create(
        user=neighbour, region=world.region, role=Role.HEAD_OF_UNIT, unit=world.other_unit
    )
    client = login(neighbour)
    for method, url in urls(world, records):
        assert getattr(client, method)(url).status_code == 404, url
    assert world.unit.name not in client.get("/blekinge/granskningar/").text


def test_the_regional_administrator_reads_but_does_not_change(world, records, login):
    client = login(world.regional_admin)
    for method, url in urls(world, records):
        expected = 200 if method == "get" and "/ny/" not in url and "/andra/" not in url else 403
        assert getattr(client, method)(url).status_code == expected, url
    assert Inspection.unscoped.count() == 1
    assert Finding.unscoped.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(world, records, client):
    for method, url in urls(world, records):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
