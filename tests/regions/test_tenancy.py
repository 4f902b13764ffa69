"""The tenant wall: region-scoped queries, URLs under /<region>/, 404 for outsiders."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regions.models import Membership, Role, Unit
from regions.tenancy import NoActiveRegionError, region_context
from trainees.models import Trainee


def test_scoped_query_without_region_fails_loudly(world, elsewhere):
    with pytest.raises(NoActiveRegionError):
        list(Unit.objects.all())


def test_scoped_query_sees_only_the_active_region(world, elsewhere):
    with region_context(world.region):
        names = set(Unit.objects.values_list("name", flat=True))
        trainees = set(Trainee.objects.values_list("region__slug", flat=True))
    assert names == {world.unit.name, world.other_unit.name}
    assert trainees == {"blekinge"}


def test_study_director_guessing_another_regions_unit_gets_404(world, elsewhere, login):
    client = login(world.study_director)
    halland_unit = elsewhere.unit
    assert client.get(f"/halland/enheter/{halland_unit.pk}/").status_code == 404
    # The same id under the own region's prefix must not reach it either.
    assert client.get(f"/blekinge/enheter/{halland_unit.pk}/").status_code == 404


def test_study_director_guessing_another_regions_trainee_gets_404(world, elsewhere, login):
    client = login(world.study_director)
    pk = elsewhere.trainee.pk
    for url in (f"/halland/st/{pk}/", f"/blekinge/st/{pk}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert elsewhere.trainee.user.last_name not in response.text


def test_trainee_cannot_open_another_trainees_page(world, login):
    client = login(world.trainee.user)
    assert client.get(f"/blekinge/st/{world.other_trainee.pk}/").status_code == 404
    assert client.get(f"/blekinge/st/{world.trainee.pk}/").status_code == 200


def test_user_without_role_in_region_sees_nothing(world, elsewhere, login):
    for user in (world.no_role, elsewhere.study_director, elsewhere.regional_admin):
        client = login(user)
        for path in ("/blekinge/", "/blekinge/region/", "/blekinge/studierektor/"):
            response = client.get(path)
            assert response.status_code == 404, (user, path)
            assert "VC Norr blekinge" not in response.text


def test_unknown_region_looks_like_a_forbidden_one(world, login):
    client = login(world.study_director)
    assert client.get("/nowhere/").status_code == 404
    assert client.get("/halland/").status_code == 404


def test_anonymous_visitor_is_sent_to_login(world, client):
    response = client.get("/blekinge/studierektor/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_same_region_user_without_the_role_gets_403(world, login):
    client = login(world.trainee.user)
    assert client.get("/blekinge/studierektor/").status_code == 403
    assert client.get("/blekinge/region/").status_code == 403
    assert login(world.supervisor).get("/blekinge/min-st/").status_code == 403


def test_study_director_of_one_unit_does_not_see_the_other_unit(world, login):
    client = login(world.study_director)
    assert client.get(f"/blekinge/enheter/{world.unit.pk}/").status_code == 200
    assert client.get(f"/blekinge/enheter/{world.other_unit.pk}/").status_code == 404
    page = client.get("/blekinge/studierektor/").text
    assert world.trainee.user.last_name in page
    assert world.other_trainee.user.last_name not in page


def test_user_with_roles_in_two_regions_switches(world, elsewhere, login):
    Membership.unscoped.create(
        user=world.study_director,
        region=elsewhere.region,
        role=Role.STUDY_DIRECTOR,
        unit=elsewhere.unit,
    )
    client = login(world.study_director)
    home = client.get("/")
    assert home.status_code == 200
    assert "/blekinge/" in home.text
    assert "/halland/" in home.text
    page = client.get("/halland/studierektor/")
    assert page.status_code == 200
    assert elsewhere.trainee.user.last_name in page.text
    assert world.trainee.user.last_name not in page.text
    assert 'href="/blekinge/"' in page.text


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("trainee", "/blekinge/min-st/"),
        ("supervisor", "/blekinge/handledare/"),
        ("study_director", "/blekinge/studierektor/"),
        ("head_of_unit", "/blekinge/verksamhetschef/"),
        ("regional_admin", "/blekinge/region/"),
        ("regional_study_director", "/blekinge/region/"),
    ],
)
def test_each_role_lands_on_its_own_page(world, login, persona, landing):
    user = world.trainee.user if persona == "trainee" else getattr(world, persona)
    client = login(user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_supervisor_sees_only_assigned_trainees(world, login):
    page = login(world.supervisor).get("/blekinge/handledare/").text
    assert world.trainee.user.last_name in page
    assert world.other_trainee.user.last_name not in page


def test_region_pages_cost_a_constant_number_of_queries(
    world, login, django_assert_max_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import TraineeFactory

    client = login(world.regional_admin)

    def regional_queries() -> int:
        cache.clear()  # the figures computed, not found in the cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/blekinge/region/").status_code == 200
        # Without the cache's own queries and savepoints (SQLite keeps the cache in a table).
        return sum(
            "stprogram_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
            for q in captured.captured_queries
        )

    few = regional_queries()
    for i in range(10):
        TraineeFactory(home_unit=world.unit, user__email=f"extra{i}@blekinge.test")
    # The counts at the top of the page (issue 25) add a constant nine: two counts, the
    # risk ranking and the units' review countdowns.
    assert regional_queries() == few <= 30
    sr = login(world.study_director)
    # Also with the counts at the top (issue 25).
    with django_assert_max_num_queries(32):
        assert sr.get("/blekinge/studierektor/").status_code == 200
