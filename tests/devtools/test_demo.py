"""The demo data: complete enough to log in as every role, and idempotent."""

from __future__ import annotations

from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from regions.models import Membership, Region, Role
from stprogram.models import User
from trainees.models import Trainee

SEEDED_MODELS = [
    "regions.Region",
    "regions.Unit",
    "regions.Membership",
    "assessments.Specialty",
    "stprogram.User",
    "trainees.Trainee",
    "supervision.Assignment",
    "trainees.Contract",
    "trainees.IupVersion",
    "trainees.Rotation",
    "trainees.Activity",
    "trainees.Absence",
    "trainees.RotationAccessGrant",
    "stprogram.Signature",
    "supervision.SupervisionMeeting",
    "supervision.YearlyRecord",
    "supervision.SupervisorTraining",
    "assessments.Assessment",
    "assessments.GoalSignoff",
    "assessments.Goal",
    "account.EmailAddress",
]


def _snapshot() -> str:
    rows = []
    for label in SEEDED_MODELS:
        model = apps.get_model(label)
        manager = getattr(model, "unscoped", model._default_manager)
        rows.append(serializers.serialize("json", manager.order_by("pk")))
    return "\n".join(rows)


def test_seed_demo_twice_leaves_the_same_data(db):
    call_command("seed_demo", quiet=True)
    first = _snapshot()
    call_command("seed_demo", quiet=True)
    assert _snapshot() == first


def test_seed_demo_if_empty_does_not_overwrite_changes(db):
    call_command("seed_demo", quiet=True)
    trainee = Trainee.unscoped.get(user__email="st2015@blekinge.demo")
    Trainee.unscoped.filter(pk=trainee.pk).update(extent_percent=50)
    call_command("seed_demo", quiet=True, if_empty=True)
    assert Trainee.unscoped.get(pk=trainee.pk).extent_percent == 50


def test_demo_has_five_regions_and_the_documented_accounts(db):
    call_command("seed_demo", quiet=True)
    assert set(Region.objects.values_list("slug", flat=True)) == {
        "blekinge",
        "norrbotten",
        "ostergotland",
        "jonkoping",
        "halland",
    }
    expected = {
        "st2015@blekinge.demo": ("blekinge", Role.TRAINEE),
        "st2021@halland.demo": ("halland", Role.TRAINEE),
        "sr@blekinge.demo": ("blekinge", Role.STUDY_DIRECTOR),
        "vc@norrbotten.demo": ("norrbotten", Role.HEAD_OF_UNIT),
    }
    for email, (slug, role) in expected.items():
        user = User.objects.get(email=email)
        assert user.check_password("st-demo-2026")
        assert Membership.unscoped.filter(user=user, region__slug=slug, role=role).exists()
    st2015 = Trainee.unscoped.get(user__email="st2015@blekinge.demo")
    st2021 = Trainee.unscoped.get(user__email="st2021@halland.demo")
    assert st2015.regulation == "SOSFS 2015:8"
    assert st2015.bt_end is None
    assert st2021.regulation == "HSLF-FS 2021:8"
    assert st2021.bt_end is not None


def test_demo_has_trainees_in_bt_under_both_regulations(db):
    call_command("seed_demo", quiet=True)
    trainees = list(Trainee.unscoped.all())
    assert {t.regulation for t in trainees} == {"SOSFS 2015:8", "HSLF-FS 2021:8"}
    assert any(t.in_bt for t in trainees)
    assert any(t.extent_percent < 100 for t in trainees)


def test_every_demo_login_lands_on_a_page(db, client):
    from devtools.seeding import demo_logins

    call_command("seed_demo", quiet=True)
    for email, _what in demo_logins():
        client.force_login(User.objects.get(email=email))
        response = client.get("/", follow=True)
        assert response.status_code == 200, email
        client.logout()


def test_demo_accounts_log_in_with_the_password_and_no_confirmation_mail(db, client):
    from allauth.account.models import EmailAddress
    from django.core import mail

    from devtools.seeding import demo_logins

    call_command("seed_demo", quiet=True)
    # (guardian's AnonymousUser has no address and cannot log in)
    unverified = User.objects.filter(email__contains="@").exclude(emailaddress__verified=True)
    assert not unverified.exists()
    email = demo_logins()[0][0]
    assert EmailAddress.objects.get(email=email).primary
    client.post("/accounts/login/", {"login": email, "password": "st-demo-2026"})
    assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)
    assert mail.outbox == []
