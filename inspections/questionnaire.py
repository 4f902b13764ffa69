"""The web self-assessment: areas and questions in the spirit of STINS and SPUR.

STINS is a spreadsheet that mimics the scoring of an external SPUR review;
the areas below follow the parts of such a review, so a self-assessment can
be set beside the findings of the last external review area by area. The
wording is ours. Findings are recorded against the same areas.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

VERSION = "stins-webb-1"

SCORES: tuple[tuple[int, Promise], ...] = (
    (1, _("Uppfylls inte")),
    (2, _("Uppfylls delvis")),
    (3, _("Uppfylls i huvudsak")),
    (4, _("Uppfylls helt")),
)


@dataclass(frozen=True)
class Question:
    code: str
    text: Promise


@dataclass(frozen=True)
class Area:
    code: str
    label: Promise
    questions: tuple[Question, ...]


AREAS: tuple[Area, ...] = (
    Area(
        "conditions",
        _("Förutsättningar och organisation"),
        (
            Question(
                "conditions_1",
                _("Enheten har en utsedd studierektor med avsatt tid för uppdraget."),
            ),
            Question(
                "conditions_2",
                _("Verksamhetschefen följer regelbundet upp ST-utbildningen vid enheten."),
            ),
            Question(
                "conditions_3",
                _("Det finns en skriftlig rutin för introduktion av nya ST-läkare."),
            ),
        ),
    ),
    Area(
        "programme",
        _("Utbildningsprogram och tjänstgöring"),
        (
            Question(
                "programme_1",
                _("Varje ST-läkare har ett individuellt utbildningsprogram som revideras årligen."),
            ),
            Question(
                "programme_2",
                _("Randningar planeras i god tid, med handledare på den mottagande enheten."),
            ),
            Question(
                "programme_3",
                _("Tjänstgöringen ger den kliniska bredd och volym som målbeskrivningen kräver."),
            ),
            Question(
                "programme_4", _("Kurser planeras utifrån utbildningsprogrammet och beviljas.")
            ),
        ),
    ),
    Area(
        "supervision",
        _("Handledning"),
        (
            Question(
                "supervision_1",
                _("Varje ST-läkare har en huvudhandledare med handledarutbildning."),
            ),
            Question(
                "supervision_2", _("Handledarsamtal är schemalagda och äger rum regelbundet.")
            ),
            Question("supervision_3", _("Handledarna har tid och stöd för sitt uppdrag.")),
        ),
    ),
    Area(
        "assessment",
        _("Bedömning och uppföljning"),
        (
            Question(
                "assessment_1",
                _("Kompetensen bedöms fortlöpande med strukturerade bedömningsinstrument."),
            ),
            Question(
                "assessment_2",
                _("Bedömningarna dokumenteras och följs upp mot delmålen."),
            ),
            Question(
                "assessment_3",
                _("Det finns en rutin för ST-läkare som riskerar att inte nå målen."),
            ),
        ),
    ),
    Area(
        "learning",
        _("Lärandemiljö och teoretisk utbildning"),
        (
            Question(
                "learning_1", _("Det finns regelbunden internutbildning där ST-läkarna deltar.")
            ),
            Question("learning_2", _("ST-läkarna undervisar och handleder andra.")),
            Question("learning_3", _("ST-läkarna har schemalagd tid för självstudier.")),
        ),
    ),
    Area(
        "quality_science",
        _("Kvalitetsarbete och vetenskap"),
        (
            Question(
                "quality_science_1",
                _("ST-läkarna genomför kvalitets- och utvecklingsarbete med handledning."),
            ),
            Question(
                "quality_science_2",
                _("ST-läkarna genomför ett vetenskapligt arbete med handledning."),
            ),
            Question(
                "quality_science_3",
                _("Enheten följer upp resultaten från tidigare granskningar."),
            ),
        ),
    ),
)

AREA_CHOICES: list[tuple[str, Promise]] = [(area.code, area.label) for area in AREAS]
QUESTIONS: dict[str, tuple[Area, Question]] = {
    q.code: (area, q) for area in AREAS for q in area.questions
}
