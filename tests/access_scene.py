"""The Blekinge world with one real object behind every URL argument, and the personas' sessions.

Built once for the access matrix (tests/stprogram/test_access_matrix.py): every
id and token a URL needs points at a record of Blekinge's trainee, and every
persona has a logged-in session, once freshly re-authenticated and once not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from assessments import workflow
from assessments.models import Assessment, GoalSignoff
from inspections import services as inspection_services
from inspections.models import Finding, Inspection, InspectionMeasure
from regions.delegations import delegation_create
from regions.models import Membership, Role
from regions.tenancy import region_context
from stprogram.models import Reminder, User
from stprogram.reminders import feed
from supervision import services as supervision_services
from supervision.action_plans import action_plan_create
from tests.conftest import reauthenticated
from tests.factories import UserFactory, World, world_build
from trainees import services as trainee_services
from trainees.models import Activity, CertificatePacket

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

# The region's own people, in the matrix's column order.
HOME_PERSONAS = (
    "trainee",
    "other_trainee",
    "supervisor",
    "study_director",
    "head_of_unit",
    "regional_admin",
    "regional_study_director",
    "no_role",
)
# Halland's people: each must see nothing of Blekinge.
ELSEWHERE_PERSONAS = tuple(
    f"elsewhere_{key}"
    for key in (
        "trainee",
        "supervisor",
        "study_director",
        "head_of_unit",
        "regional_admin",
        "regional_study_director",
    )
)


@dataclass
class Scene:
    world: World
    elsewhere: World
    users: dict[str, User]
    objects: dict[str, object] = field(default_factory=dict)
    cookies: dict[tuple[str, bool], str] = field(default_factory=dict)

    def client(self, persona: str, *, fresh: bool = True) -> Client:
        """A client with the persona's session (anonymous: none)."""
        client = Client()
        if persona != "anonymous":
            client.cookies["sessionid"] = self.cookies[(persona, fresh)]
        return client

    @property
    def secrets(self) -> list[str]:
        """Names an outsider must never read on an error page."""
        world = self.world
        return [
            world.trainee.user.last_name,
            world.other_trainee.user.last_name,
            world.unit.name,
            world.other_unit.name,
        ]


def _users(world: World, elsewhere: World, guest: User) -> dict[str, User]:
    users = {
        "trainee": world.trainee.user,
        "other_trainee": world.other_trainee.user,
        "guest": guest,
    }
    for key in HOME_PERSONAS[2:]:
        users[key] = getattr(world, key)
    for key in ELSEWHERE_PERSONAS:
        name = key.removeprefix("elsewhere_")
        users[key] = elsewhere.trainee.user if name == "trainee" else getattr(elsewhere, name)
    return users


def _sessions(scene: Scene) -> None:
    for persona, user in scene.users.items():
        for fresh in (True, False):
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            if fresh:
                reauthenticated(client)
            scene.cookies[(persona, fresh)] = client.cookies["sessionid"].value


def _trainee_records(scene: Scene) -> None:
    """Contract, IUP, an external rotation hosted by the guest, a course, a packet."""
    world, trainee, today = scene.world, scene.world.trainee, timezone.localdate()
    objects = scene.objects
    # A test number (Skatteverket's series for tests), so the reveal has something to show.
    trainee.personnummer = "191212121212"
    trainee.save(update_fields=["personnummer"])
    objects["contract"] = trainee_services.contract_create(
        trainee=trainee, kind="ordinary", terms="Villkor.", reason="", by=trainee.user
    )
    objects["iup"] = trainee_services.iup_save(
        trainee=trainee,
        phase="ST",
        by=trainee.user,
        texts={},
        goal_plans=[],
        planned=[],
        change_summary="",
    )
    objects["rotation"] = trainee_services.rotation_record(
        trainee=trainee,
        by=trainee.user,
        data={
            "unit_name": "Barnkliniken Halmstad",
            "host_region": scene.elsewhere.region,
            "external": True,
            "start": today - timedelta(days=10),
            "end": today + timedelta(days=20),
            "local_supervisor": scene.users["guest"],
            "goal_codes": ["STa3"],
        },
    )
    trainee_services.rotation_grant_decide(
        grant=objects["rotation"].grant, by=scene.elsewhere.study_director, accept=True
    )
    # A second request, still pending, for the receiving unit's answer page.
    objects["pending_rotation"] = trainee_services.rotation_record(
        trainee=trainee,
        by=trainee.user,
        data={
            "unit_name": "Ortopeden Varberg",
            "host_region": scene.elsewhere.region,
            "start": today + timedelta(days=40),
            "end": today + timedelta(days=70),
            "local_supervisor": scene.users["guest"],
        },
    )
    objects["grant"] = objects["pending_rotation"].grant
    objects["course"] = Activity.objects.create(
        region=world.region,
        trainee=trainee,
        created_by=world.supervisor,
        kind="course",
        title="Kurs i etik",
        start=date(2025, 3, 3),
        end=date(2025, 3, 5),
        goal_codes=["STa4"],
    )
    packet = CertificatePacket.objects.create(
        region=world.region, trainee=trainee, requested_by=trainee.user, status="ready"
    )
    packet.file.save("ansokan.pdf", ContentFile(PDF))
    objects["packet"] = packet


def _supervision(scene: Scene) -> None:
    """A meeting waiting for confirmation, an action plan with a measure, assessments."""
    world, trainee, objects = scene.world, scene.world.trainee, scene.objects
    objects["meeting"] = supervision_services.meeting_log(
        trainee=trainee,
        by=trainee.user,
        date=timezone.localdate() - timedelta(days=1),
        minutes=45,
        goal_codes=[],
    )
    plan = action_plan_create(
        trainee=trainee,
        by=world.study_director,
        problem_areas="Ligger efter med bedömningar.",
        follow_up_on=date(2026, 6, 1),
        measures=[
            {"description": "Två Mini-CEX", "owner_id": trainee.user.pk, "due": date(2026, 5, 15)}
        ],
    )
    objects["plan"] = plan
    objects["plan_measure"] = plan.measures.get()
    objects["assessment"] = Assessment.objects.create(
        region=world.region,
        trainee=trainee,
        method="mini-cex",
        status="completed",
        goal_codes=["STa3"],
        performed_on=date(2026, 1, 12),
        assessor=world.supervisor,
        requested_by=trainee.user,
        data={},
    )
    objects["external_assessment"], objects["token"] = workflow.assessment_request(
        trainee=trainee,
        by=trainee.user,
        method="mini-cex",
        goal_codes=["STa3"],
        assessor_name="Sjuksköterska Siv",
        assessor_email="siv@example.test",
        assessor_profession="sjuksköterska",
    )
    objects["signoff"] = GoalSignoff.objects.create(
        region=world.region,
        trainee=trainee,
        goal_code="STa3",
        signed_by=world.supervisor,
        party="main_supervisor",
        evidence=[f"assessment:{objects['assessment'].pk}"],
        content_hash="0" * 64,
    )


def _inspections(scene: Scene) -> None:
    """A review of the unit with a report, a finding and an open measure; a self-assessment."""
    world, objects = scene.world, scene.objects
    review = Inspection.objects.create(
        region=world.region,
        unit=world.unit,
        kind=Inspection.Kind.EXTERNAL,
        performed_on=date(2026, 4, 20),
        ordering_body="LIPUS (SPUR)",
        created_by=world.head_of_unit,
        report_name="rapport.pdf",
    )
    review.report.save("rapport.pdf", ContentFile(PDF))
    finding = Finding.objects.create(
        region=world.region,
        inspection=review,
        kind="deficiency",
        area="conditions",
        severity="minor",
        text="Handledarsamtal glest.",
    )
    objects["inspection"] = review
    objects["inspection_measure"] = InspectionMeasure.objects.create(
        region=world.region,
        inspection=review,
        finding=finding,
        description="Boka handledarsamtal",
        owner=world.study_director,
        due=date(2026, 9, 1),
    )
    objects["self_assessment"] = inspection_services.start_self_assessment(
        world.unit, world.head_of_unit
    )


def _personal(scene: Scene) -> None:
    """The trainee's notification and calendar address (not tied to a region's pages)."""
    trainee = scene.world.trainee
    scene.objects["reminder"] = Reminder.objects.create(
        region=scene.world.region,
        user=trainee.user,
        obligation_key="access-matrix",
        step="due",
        category="follow_up",
        code="supervision_meeting",
        strength="must",
        due=date(2026, 5, 1),
        subject_label="Handledarsamtal",
        path=f"/blekinge/st/{trainee.pk}/handledning/",
        notified_at=timezone.now(),
    )
    scene.objects["feed_token"] = feed.feed_create(user=trainee.user)


def _onboarding(scene: Scene) -> None:
    """A checked bulk import of Blekinge, waiting for the administrator to confirm it."""
    from regions.onboarding.models import OnboardingImport

    scene.objects["onboarding"] = OnboardingImport.unscoped.create(
        region=scene.world.region,
        uploaded_by=scene.world.regional_admin,
        file_names="personal.csv",
        status=OnboardingImport.Status.CHECKED,
    )


def _delegation(scene: Scene) -> None:
    """The study director's deputy for this month: someone who is none of the personas."""
    world, today = scene.world, timezone.localdate()
    deputy = UserFactory(email="deputy@blekinge.test")
    Membership.unscoped.create(
        user=deputy, region=world.region, role=Role.SUPERVISOR, unit=world.other_unit
    )
    scene.objects["delegation"] = delegation_create(
        region=world.region,
        by=world.study_director,
        deputy=deputy,
        units=[world.unit],
        start=today,
        end=today + timedelta(days=30),
        reason="Semester",
    )


def build_scene() -> Scene:
    """Blekinge and Halland, a Halland supervisor hosting Blekinge's trainee, every record."""
    world = world_build(slug="blekinge", name="Region Blekinge")
    elsewhere = world_build(slug="halland", name="Region Halland")
    guest = UserFactory(email="guest.supervisor@halland.test")
    Membership.unscoped.create(
        user=guest, region=elsewhere.region, role=Role.SUPERVISOR, unit=elsewhere.unit
    )
    scene = Scene(world=world, elsewhere=elsewhere, users=_users(world, elsewhere, guest))
    with region_context(world.region):
        _trainee_records(scene)
        _supervision(scene)
        _inspections(scene)
        _personal(scene)
        _onboarding(scene)
        _delegation(scene)
    _sessions(scene)
    return scene
