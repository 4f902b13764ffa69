"""The web self-assessment: draft, complete, compare, and count as the engine's event."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from inspections import questionnaire
from inspections.models import Finding, Inspection, SelfAssessment, SelfAssessmentAnswer
from regions.models import Unit
from tests.clock import FROZEN_TODAY


def answers(score: int, **overrides: int | str) -> dict[str, object]:
    data: dict[str, object] = {}
    for code in questionnaire.QUESTIONS:
        data[f"{code}-score"] = overrides.get(code, score)
        data[f"{code}-comment"] = ""
        data[f"{code}-evidence"] = ""
    return data


def start(client, world) -> SelfAssessment:
    response = client.post(f"/blekinge/granskningar/enhet/{world.unit.pk}/sjalvvardering/")
    assert response.status_code == 302
    return SelfAssessment.unscoped.get(completed_on__isnull=True)


def test_a_draft_keeps_its_answers_and_completing_needs_every_score(world, login):
    client = login(world.study_director)
    assessment = start(client, world)
    url = f"/blekinge/granskningar/sjalvvardering/{assessment.pk}/"
    partial = answers(3) | {"supervision_2-score": "", "supervision_2-comment": "Saknar schema"}
    client.post(url, partial | {"spara": "1"})
    stored = SelfAssessmentAnswer.unscoped.get(question="supervision_2")
    assert stored.score is None
    assert stored.comment == "Saknar schema"
    assert SelfAssessmentAnswer.unscoped.get(question="supervision_1").score == 3

    response = client.post(url, partial | {"slutfor": "1"})
    assert "Välj ett värde innan självvärderingen slutförs." in response.text
    assessment.refresh_from_db()
    assert assessment.completed_on is None
    assert not Inspection.unscoped.filter(kind="self_assessment").exists()

    client.post(url, answers(3) | {"slutfor": "1"})
    assessment.refresh_from_db()
    assert assessment.completed_on == timezone.localdate()
    event = assessment.inspection
    assert event.kind == "self_assessment"
    assert event.performed_on == timezone.localdate()
    # Completed answers are read-only.
    assert client.post(url, answers(1) | {"spara": "1"}).status_code == 403


def test_out_of_range_scores_are_refused_and_nothing_is_saved(world, login):
    client = login(world.head_of_unit)
    assessment = start(client, world)
    url = f"/blekinge/granskningar/sjalvvardering/{assessment.pk}/"
    response = client.post(url, answers(3, conditions_1=9) | {"spara": "1"})
    assert "Välj ett giltigt alternativ" in response.text
    assert not SelfAssessmentAnswer.unscoped.exists()


# On a 29 February "two years on" has no same day: the real calendar could fail it.
@pytest.mark.usefixtures("frozen_clock")
def test_completing_moves_blekinges_next_self_assessment_two_years_on(world, login):
    Unit.unscoped.filter(pk=world.unit.pk).update(first_trainee_start=date(2020, 1, 1))
    client = login(world.head_of_unit)
    assessment = start(client, world)
    client.post(
        f"/blekinge/granskningar/sjalvvardering/{assessment.pk}/", answers(4) | {"slutfor": "1"}
    )
    page = client.get(f"/blekinge/granskningar/enhet/{world.unit.pk}/").text
    assert FROZEN_TODAY.replace(year=FROZEN_TODAY.year + 2).isoformat() in page


def test_the_result_is_compared_with_the_previous_occasion_and_the_last_external_review(
    world, review, login
):
    earlier = SelfAssessment.unscoped.create(
        region=world.region,
        unit=world.unit,
        questionnaire=questionnaire.VERSION,
        started_by=world.head_of_unit,
        completed_on=date(2024, 3, 1),
    )
    for code in questionnaire.QUESTIONS:
        SelfAssessmentAnswer.unscoped.create(
            region=world.region, assessment=earlier, question=code, score=2
        )
    Finding.unscoped.create(
        region=world.region,
        inspection=review,
        kind="deficiency",
        area="supervision",
        severity="major",
        text="Ingen schemalagd handledning",
    )
    client = login(world.head_of_unit)
    assessment = start(client, world)
    client.post(
        f"/blekinge/granskningar/sjalvvardering/{assessment.pk}/",
        answers(3, supervision_1=4, supervision_2=4, supervision_3=4) | {"slutfor": "1"},
    )
    page = client.get(f"/blekinge/granskningar/sjalvvardering/{assessment.pk}/").text
    table = page[page.index('id="comparison-heading"') : page.index('id="questions-heading"')]
    row = table[table.index("Handledning") :]
    row = row[: row.index("</tr>")]
    # Now 4, before 2, up 2, one deficiency and no recommendation at the external review.
    cells = [c.split("<")[0].strip() for c in row.split('<td class="num">')[1:]]
    assert cells == ["4,0", "2,0", "+2,0", "1", "0"]  # Swedish decimal commas
    assert "Föregående självvärdering: 2024-03-01." in table
    assert "Senaste externa granskning: 2026-04-20." in table
