"""The engine's Django side: the database and the exported portfolio always agree."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from obligations.facts import evaluate_region, evaluate_trainee, trainee_obligations
from regions.models import Region
from regions.rules.engine import evaluate
from regions.rules.portfolio import evaluation_to_dict, parse_portfolio
from regions.rules.profile import load_profile
from tests.factories import RotationFactory
from trainees.models import Trainee
from trainees.portfolio import export_portfolio

DATES = [date(2024, 3, 1), date(2026, 11, 22), date(2028, 1, 31)]


@pytest.fixture
def demo(db):
    call_command("seed_demo", quiet=True)


def test_database_and_exported_portfolio_give_identical_results(demo):
    trainees = Trainee.unscoped.select_related("region", "home_unit", "specialty")
    assert trainees.count() == 20
    for trainee in trainees:
        document = export_portfolio(trainee)
        from_file = parse_portfolio(json.loads(json.dumps(document)))
        profile = load_profile(trainee.region.slug)
        for on in DATES:
            assert evaluate_trainee(trainee, on) == evaluate(from_file, profile, on), (
                trainee.user.email,
                on,
            )


def test_obligations_command_on_an_export_prints_what_the_page_uses(demo, tmp_path):
    trainee = Trainee.unscoped.get(user__email="st2021@halland.demo")
    path = tmp_path / "p.json"
    path.write_text(json.dumps(export_portfolio(trainee), ensure_ascii=False))
    out = StringIO()
    call_command("obligations", str(path), "--on", "2026-11-22", stdout=out)
    on = date(2026, 11, 22)
    expected = evaluation_to_dict("halland", on, evaluate_trainee(trainee, on))
    assert json.loads(out.getvalue()) == expected


def test_region_evaluation_covers_every_trainee(demo):
    region = Region.objects.get(slug="blekinge")
    results = dict(evaluate_region(region, date(2026, 11, 22)))
    assert set(results) == set(Trainee.unscoped.filter(region=region).values_list("pk", flat=True))


def test_min_st_lists_obligations_most_urgent_first(demo, client):
    from stprogram.models import User

    client.force_login(User.objects.get(email="st2021@halland.demo"))
    page = client.get("/halland/min-st/").text
    trainee = Trainee.unscoped.get(user__email="st2021@halland.demo")
    rows = trainee_obligations(evaluate_trainee(trainee))
    assert rows[0].status == "overdue"
    assert page.index("Försenad") < page.index("Klar")
    assert "Specialistkollegium" in page


def test_min_st_query_count_is_constant(world, login, django_assert_max_num_queries):
    from trainees.models import Absence

    client = login(world.trainee.user)
    with django_assert_max_num_queries(40) as small:
        client.get("/blekinge/min-st/")
    for i in range(30):
        RotationFactory(
            region=world.region,
            trainee=world.trainee,
            unit_name=f"Enhet {i}",
            start=date(2025, 1, 1 + i % 27),
            end=date(2025, 2, 1),
            created_by=world.trainee.user,
        )
        Absence.unscoped.create(
            region=world.region,
            trainee=world.trainee,
            kind="sick",
            start=date(2024, 1 + i % 12, 1 + i),
            end=date(2024, 1 + i % 12, 1 + i),
            created_by=world.trainee.user,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/blekinge/min-st/")
