"""Reads for the review pages: a unit's history and the self-assessment comparison.

The units' review status (countdowns from the engine) is `obligations.unit_reviews`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q

from inspections import questionnaire
from inspections.models import Finding, Inspection, SelfAssessment
from regions.models import Unit


@dataclass
class AreaComparison:
    area: questionnaire.Area
    score: float | None
    previous: float | None
    deficiencies: int = 0
    recommendations: int = 0

    @property
    def change(self) -> float | None:
        if self.score is None or self.previous is None:
            return None
        return round(self.score - self.previous, 1)


@dataclass
class Comparison:
    rows: list[AreaComparison]
    previous: SelfAssessment | None
    external: Inspection | None
    total: float | None = None


def area_means(assessment: SelfAssessment) -> dict[str, float]:
    """Mean score per area over the questions that have a score, to one decimal."""
    scores: defaultdict[str, list[int]] = defaultdict(list)
    for question, score in assessment.answers.values_list("question", "score"):
        if score is not None and question in questionnaire.QUESTIONS:
            scores[questionnaire.QUESTIONS[question][0].code].append(score)
    return {code: round(sum(v) / len(v), 1) for code, v in scores.items()}


def comparison(assessment: SelfAssessment) -> Comparison:
    """This occasion beside the unit's previous one and the last external review's findings."""
    before = assessment.completed_on or date.max
    previous = (
        SelfAssessment.objects.filter(unit=assessment.unit, completed_on__isnull=False)
        .exclude(pk=assessment.pk)
        .filter(completed_on__lte=before)
        .order_by("-completed_on", "-pk")
        .first()
    )
    external = (
        Inspection.objects.filter(
            unit=assessment.unit,
            kind=Inspection.Kind.EXTERNAL,
            performed_on__isnull=False,
            performed_on__lte=before,
        )
        .order_by("-performed_on", "-pk")
        .first()
    )
    now = area_means(assessment)
    then = area_means(previous) if previous else {}
    findings: Counter[tuple[str, str]] = Counter()
    if external:
        findings.update(Finding.objects.filter(inspection=external).values_list("area", "kind"))
    rows = [
        AreaComparison(
            area=area,
            score=now.get(area.code),
            previous=then.get(area.code),
            deficiencies=findings[(area.code, Finding.Kind.DEFICIENCY)],
            recommendations=findings[(area.code, Finding.Kind.RECOMMENDATION)],
        )
        for area in questionnaire.AREAS
    ]
    scored = [r.score for r in rows if r.score is not None]
    total = round(sum(scored) / len(scored), 1) if scored else None
    return Comparison(rows=rows, previous=previous, external=external, total=total)


def history(unit: Unit) -> dict[str, Any]:
    """The unit's reviews, newest first, with their findings and measures counted."""
    inspections = (
        Inspection.objects.filter(unit=unit)
        .annotate(
            finding_count=Count("findings", distinct=True),
            open_measures=Count(
                "measures", filter=Q(measures__done_on__isnull=True), distinct=True
            ),
        )
        .select_related("self_assessment")
    )
    assessments = SelfAssessment.objects.filter(unit=unit)
    return {"inspections": list(inspections), "self_assessments": list(assessments)}
