"""The yearly IUP follow-up and Blekinge's follow-up talk as records, through their pages."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from obligations.facts import evaluate_trainee
from supervision.models import YearlyRecord
from tests.factories import world_build
from trainees.models import HistoricalEvent


def _followup(**extra) -> dict:
    data = {
        "date": timezone.localdate().isoformat(),
        "participants": "ST-läkare och huvudhandledare",
        "checked": "Placeringar och kurser mot planen",
        "plan_changed": "none",
        "changes": "",
    }
    return {**data, **extra}


def test_norrbotten_iup_follow_up_clears_the_yearly_revision_without_a_new_version(db, login):
    norr = world_build(slug="norrbotten", name="Region Norrbotten")
    today = timezone.localdate()
    HistoricalEvent.unscoped.create(
        region=norr.region,
        trainee=norr.trainee,
        type="iup_approved",
        date=today - timedelta(days=400),
    )
    before = [o for o in evaluate_trainee(norr.trainee).obligations if o.code == "iup_revision"]
    assert before[0].status == "overdue"
    url = f"/norrbotten/st/{norr.trainee.pk}/uppfoljning/iup_followup/ny/"
    assert login(norr.supervisor).post(url, _followup()).status_code == 302
    after = [o for o in evaluate_trainee(norr.trainee).obligations if o.code == "iup_revision"]
    assert (after[0].status, after[0].due.year) == ("open", today.year + 1)
    record = YearlyRecord.unscoped.get()
    assert (record.author, record.data["plan_changed"]) == (norr.supervisor, "none")
    page = login(norr.trainee.user).get(f"/norrbotten/st/{norr.trainee.pk}/handledning/")
    assert "Uppföljning av IUP" in page.text


def test_a_changed_plan_needs_the_changes_described(db, login):
    norr = world_build(slug="norrbotten", name="Region Norrbotten")
    url = f"/norrbotten/st/{norr.trainee.pk}/uppfoljning/iup_followup/ny/"
    response = login(norr.supervisor).post(url, _followup(plan_changed="major"))
    assert response.status_code == 200
    assert "Beskriv vad som ändrades i planen." in response.text
    assert not YearlyRecord.unscoped.exists()


def test_follow_up_pages_by_persona(world, elsewhere, login):
    norr = world_build(slug="norrbotten", name="Region Norrbotten")
    url = f"/norrbotten/st/{norr.trainee.pk}/uppfoljning/iup_followup/ny/"
    assert login(norr.supervisor).get(url).status_code == 200
    for user in (norr.trainee.user, norr.study_director, norr.head_of_unit):
        assert login(user).get(url).status_code == 403
    for user in (world.supervisor, norr.no_role):
        assert login(user).get(url).status_code == 404
    # Blekinge revises its plan: the follow-up is not offered there.
    blekinge = f"/blekinge/st/{world.trainee.pk}/uppfoljning/iup_followup/ny/"
    assert login(world.supervisor).get(blekinge).status_code == 403
    talk = f"/blekinge/st/{world.trainee.pk}/uppfoljning/supervisor_followup/ny/"
    assert login(world.supervisor).get(talk).status_code == 200
    assert login(world.head_of_unit).get(talk).status_code == 403
    assert login(elsewhere.supervisor).get(talk).status_code == 404
    north_talk = f"/norrbotten/st/{norr.trainee.pk}/uppfoljning/supervisor_followup/ny/"
    assert login(norr.supervisor).get(north_talk).status_code == 403


def test_blekinge_follow_up_talk_fulfils_its_year(world, login):
    url = f"/blekinge/st/{world.trainee.pk}/uppfoljning/supervisor_followup/ny/"
    data = {"date": timezone.localdate().isoformat(), "followed_up": "Kompetensutveckling"}
    assert login(world.supervisor).post(url, data).status_code == 302
    talks = [
        o for o in evaluate_trainee(world.trainee).obligations if o.code == "supervisor_followup"
    ]
    assert talks[-1].status == "done"
