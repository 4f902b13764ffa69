"""The pre-inspection pack is drawn from the records."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from obligations import snapshot
from supervision.models import ActionPlan, SupervisorTraining
from tests.factories import HistoricalEventFactory, TraineeFactory
from trainees.models import Trainee


def test_the_pack_counts_trainees_supervisors_compliance_and_open_plans(world, login):
    Trainee.unscoped.filter(pk=world.trainee.pk).update(
        bt_end=timezone.localdate() + timedelta(days=100)
    )
    TraineeFactory(
        home_unit=world.unit,
        user__email="st2015@blekinge.test",
        regulation="SOSFS 2015:8",
    )
    HistoricalEventFactory(
        region=world.region, trainee=world.trainee, type="contract_signed", date=date(2025, 1, 20)
    )
    SupervisorTraining.objects.create(
        user=world.supervisor, kind="supervisor_training_basic", date=date(2019, 5, 1)
    )
    ActionPlan.unscoped.create(
        region=world.region,
        trainee=world.trainee,
        problem_areas="Efter med bedömningar",
        follow_up_on=timezone.localdate() + timedelta(days=30),
        created_by=world.study_director,
    )
    for pk in Trainee.unscoped.values_list("pk", flat=True):
        snapshot.refresh_trainee(pk)
    page = (
        login(world.study_director)
        .get(f"/blekinge/granskningar/enhet/{world.unit.pk}/underlag/")
        .text
    )
    assert "2 ST-läkare har enheten som hemenhet." in page
    assert "1 av dem gör BT." in page
    assert '<th scope="row">HSLF-FS 2021:8</th><td class="num">1</td>' in page
    assert '<th scope="row">SOSFS 2015:8</th><td class="num">1</td>' in page
    assert "0 av 1 handledare uppfyller kraven" in page  # no specialist competence recorded
    contract = page[page.index(">ST-kontrakt<") :]
    contract = contract[: contract.index("</tr>")]
    assert '<td class="num">1</td>' in contract  # the contract signed on time
    assert "Åtgärdsplan för Trainee Traineeblekinge" in page
    assert "Other Traineeblekinge" not in page  # another unit's trainee


def test_the_pack_downloads_as_a_pdf_with_the_same_figures(world, login):
    import io

    from pypdf import PdfReader

    for pk in Trainee.unscoped.values_list("pk", flat=True):
        snapshot.refresh_trainee(pk)
    url = f"/blekinge/granskningar/enhet/{world.unit.pk}/underlag.pdf"
    response = login(world.head_of_unit).get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert f"Underlag inför granskning: {world.unit.name}" in text
    assert "1 ST-läkare har enheten som hemenhet." in text
    assert "Kontrakt och IUP" in text
    assert "Other Traineeblekinge" not in text
    assert login(world.trainee.user).get(url).status_code == 403
