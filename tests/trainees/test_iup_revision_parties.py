"""Who signs an IUP revision is the region's profile's to say.

Blekinge §2.2: the trainee revises the plan "i samråd med verksamhetschef,
handledare och vid behov studierektor": a revision is complete without the study
director, the first approval is not. Jönköping: the plan is drawn up with the head
of unit and the study director too.
"""

from __future__ import annotations

from obligations.trainee_overview import iup_parties_for
from regions.tenancy import region_context
from tests.factories import world_build
from tests.trainees.test_signing import _iup
from trainees import services
from trainees.portfolio import portfolio_for

WITHOUT_STUDY_DIRECTOR = (
    ("trainee", "trainee"),
    ("head_of_unit", "head_of_unit"),
    ("supervisor", "main_supervisor"),
)


def _sign(world, iup, signers) -> None:
    people = {
        "trainee": world.trainee.user,
        "head_of_unit": world.head_of_unit,
        "supervisor": world.supervisor,
        "study_director": world.study_director,
    }
    with region_context(world.region):
        for who, party in signers:
            services.iup_sign(iup=iup, user=people[who], party=party)


def test_blekinge_first_approval_needs_the_study_director_a_revision_does_not(world, login):
    first = _iup(world)
    _sign(world, first, WITHOUT_STUDY_DIRECTOR)
    assert "iup_approved" not in [e.type for e in portfolio_for(world.trainee).events]
    _sign(world, first, (("study_director", "study_director"),))
    revised = _iup(world, summary="Ny placering")
    _sign(world, revised, WITHOUT_STUDY_DIRECTOR)
    types = [e.type for e in portfolio_for(world.trainee).events]
    assert (types.count("iup_approved"), types.count("iup_revised")) == (1, 1)
    with region_context(world.region):
        groups = list(iup_parties_for(revised).groups)
    assert groups == [
        ("trainee",),
        ("head_of_unit",),
        ("main_supervisor",),
    ]
    page = login(world.trainee.user).get(f"/blekinge/st/{world.trainee.pk}/iup/")
    assert page.status_code == 200


def test_jonkoping_iup_needs_the_head_of_unit_and_study_director(db):
    jkp = world_build(slug="jonkoping", name="Region Jönköpings län")
    iup = _iup(jkp)
    _sign(jkp, iup, (("trainee", "trainee"), ("supervisor", "main_supervisor")))
    assert "iup_approved" not in [e.type for e in portfolio_for(jkp.trainee).events]
    _sign(jkp, iup, (("head_of_unit", "head_of_unit"), ("study_director", "study_director")))
    assert "iup_approved" in [e.type for e in portfolio_for(jkp.trainee).events]
