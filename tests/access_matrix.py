"""Who may reach every URL of the product, and with which answer.

Every URL name has a row in `ANSWERS`, the designed answer for each persona,
and an entry in `REQUESTS`: how to fill its arguments from the scene
(tests/access_scene.py), and the method (GET for pages, POST with an empty
or minimal body for actions). The columns of `ANSWERS`:

    anon    not logged in
    tr      the trainee (Blekinge)            otr   another trainee of the region
    sup     the trainee's main supervisor     sd    the trainee's study director (unit)
    hou     head of the trainee's unit        ra    regional administrator
    rsd     regional study director           none  a user with no role anywhere
    guest   a Halland supervisor hosting the trainee's current rotation (dated grant)
    else    every role of Halland (trainee, supervisor, study director, head of unit,
            regional administrator, regional study director): the same answer each

Answers: a status code (200, 403, 404, ...); "login" the redirect to the
login page; "reauth" the redirect to allauth's re-authentication page; "302"
any other redirect (an action done, a form saved, the landing dispatch).

`fresh=True` marks pages that ask for a recent re-authentication (signing):
the matrix's answer is for a fresh session; with a stale one every persona
answering 200/302 is sent to allauth's re-authentication page instead, and
everyone else gets the same answer as when fresh (access is checked first).

Django's admin and allauth are covered by a rule per prefix (`ADMIN_OPEN`,
`ALLAUTH_ANONYMOUS`); every other URL needs a row and an entry, or the
matrix test fails naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.http.response import HttpResponseBase
from django.urls import reverse

from tests.access_scene import ELSEWHERE_PERSONAS, Scene

COLUMNS = (
    "anon",
    "tr",
    "otr",
    "sup",
    "sd",
    "hou",
    "ra",
    "rsd",
    "none",
    "guest",
    "else",
)
PERSONAS_OF_COLUMN = {
    "anon": ("anonymous",),
    "tr": ("trainee",),
    "otr": ("other_trainee",),
    "sup": ("supervisor",),
    "sd": ("study_director",),
    "hou": ("head_of_unit",),
    "ra": ("regional_admin",),
    "rsd": ("regional_study_director",),
    "none": ("no_role",),
    "guest": ("guest",),
    "else": ELSEWHERE_PERSONAS,
}
# People who have no business in Blekinge's pages: a 404 must not show them any names.
OUTSIDERS = {"no_role", "guest", *ELSEWHERE_PERSONAS}

Kwargs = Callable[[Scene], dict[str, Any]]


@dataclass(frozen=True)
class Request:
    kwargs: Kwargs
    method: str = "GET"
    data: dict[str, str] = field(default_factory=dict)
    fresh: bool = False


def get(kwargs: Kwargs, *, fresh: bool = False) -> Request:
    return Request(kwargs, fresh=fresh)


def post(kwargs: Kwargs, *, data: dict[str, str] | None = None, fresh: bool = False) -> Request:
    return Request(kwargs, method="POST", data=data or {}, fresh=fresh)


def answers() -> dict[str, dict[str, str]]:
    """`ANSWERS` as URL name -> persona -> designed answer."""
    rows = [line.split() for line in ANSWERS.strip().splitlines()]
    assert tuple(rows[0]) == COLUMNS, rows[0]
    table = {}
    for name, *cells in rows[1:]:
        assert len(cells) == len(COLUMNS), f"{name}: {len(cells)} answers, {len(COLUMNS)} columns"
        table[name] = {
            persona: cell
            for column, cell in zip(COLUMNS, cells, strict=True)
            for persona in PERSONAS_OF_COLUMN[column]
        }
    return table


# --- Arguments -----------------------------------------------------------------------------------

REGION = "blekinge"
FORM = "application/x-www-form-urlencoded"


def none(scene: Scene) -> dict[str, Any]:
    return {}


def region(scene: Scene) -> dict[str, Any]:
    return {"region": REGION}


def trainee(scene: Scene, **extra: Any) -> dict[str, Any]:
    return {"region": REGION, "pk": scene.world.trainee.pk, **extra}


def of(key: str, name: str, **extra: Any) -> Kwargs:
    """The trainee's URL with `name` set to the pk of the scene's object `key`."""
    return lambda scene: trainee(scene, **{name: scene.objects[key].pk}, **extra)


def unit(scene: Scene) -> dict[str, Any]:
    return {"region": REGION, "pk": scene.world.unit.pk}


def inspection(scene: Scene) -> dict[str, Any]:
    return {"region": REGION, "pk": scene.objects["inspection"].pk}


def with_trainee(**extra: Any) -> Kwargs:
    return lambda scene: trainee(scene, **extra)


def plan(scene: Scene) -> dict[str, Any]:
    return trainee(scene, plan_pk=scene.objects["plan"].pk)


def course_draft(scene: Scene) -> dict[str, Any]:
    return trainee(scene, key=f"kurs-{scene.objects['course'].pk}")


REQUESTS: dict[str, Request] = {
    # --- Outside any region ---
    "home": get(none),
    "healthz": get(none),
    "invitation": get(lambda s: {"token": "ingen-sadan-lank"}),
    "set_language": post(none, data={"language": "en", "next": "/"}),
    "assessment_links:token": get(lambda s: {"token": s.objects["token"]}),
    "notifications:list": get(none),
    "notifications:mark_read": post(lambda s: {"pk": s.objects["reminder"].pk}),
    "notifications:mark_all_read": post(none),
    "notifications:preferences": get(none),
    "notifications:calendar_manage": post(none),
    "notifications:calendar_feed": get(lambda s: {"token": s.objects["feed_token"]}),
    # --- Region pages ---
    "regions:home": get(region),
    "regions:study_director": get(region),
    "regions:study_director_units": get(region),
    "regions:study_director_risks": get(region),
    "regions:study_director_export": get(lambda s: {"region": REGION, "fmt": "csv"}),
    "regions:head_of_unit": get(region),
    "regions:delegations": get(region),
    "regions:delegation_end": post(lambda s: {"region": REGION, "pk": s.objects["delegation"].pk}),
    "regions:regional": get(region),
    "regions:unit_detail": get(unit),
    "regions:rules": get(region),
    "regions:rules_compare": get(region),
    "regions:onboarding": get(region),
    "regions:login_settings": get(region),
    "regions:onboarding_template_xlsx": get(region),
    "regions:onboarding_template_csv": get(lambda s: {"region": REGION, "table": "personal"}),
    "regions:onboarding_status": get(
        lambda s: {"region": REGION, "pk": s.objects["onboarding"].pk}
    ),
    "regions:onboarding_confirm": post(
        lambda s: {"region": REGION, "pk": s.objects["onboarding"].pk}
    ),
    # --- The trainee's programme ---
    "trainees:my_st": get(region),
    "trainees:enrol": get(region),
    "trainees:staff_new": get(region),
    "trainees:staff_invite": post(lambda s: {"region": REGION, "user_pk": s.world.supervisor.pk}),
    "trainees:detail": get(trainee),
    "trainees:portfolio": get(trainee),
    "trainees:personnummer": post(trainee),
    "trainees:assignments": get(trainee),
    "trainees:invite": post(trainee),
    "trainees:contract": get(trainee),
    "trainees:contract_sign": get(of("contract", "contract_pk"), fresh=True),
    "trainees:iup": get(trainee),
    "trainees:iup_edit": get(with_trainee(phase="ST")),
    "trainees:iup_version": get(of("iup", "version_pk")),
    "trainees:iup_sign": get(of("iup", "version_pk"), fresh=True),
    "trainees:rotation_new": get(trainee),
    "trainees:rotation": get(of("rotation", "rotation_pk")),
    "trainees:activity_new": get(trainee),
    "trainees:absence_new": get(trainee),
    "trainees:record_delete": post(of("rotation", "record_pk", kind="placering")),
    "trainees:guest_rotations": get(region),
    "trainees:grant_requests": get(region),
    "trainees:grant_decide": post(
        lambda s: {"region": REGION, "grant_pk": s.objects["grant"].pk},
        data={"decision": "accept"},
    ),
    "trainees:certificates": get(trainee),
    "trainees:official_forms": get(region),
    "trainees:packet_new": post(trainee, data={"kind": "st"}),
    "trainees:packet_download": get(of("packet", "packet_pk")),
    "trainees:certificate": get(course_draft),
    "trainees:external_assessor": post(
        trainee, data={"name": "Eva Berglund", "profession": "Allmänmedicin", "workplace": "VC"}
    ),
    "trainees:certificate_pdf": get(course_draft),
    # --- Supervision ---
    "supervision:home": get(region),
    "supervision:meeting_confirm": post(
        lambda s: {"region": REGION, "meeting_pk": s.objects["meeting"].pk}
    ),
    "supervision:qualifications": get(region),
    "supervision:unit_supervisors": get(region),
    "supervision:meetings": get(trainee),
    "supervision:meeting_new": get(trainee),
    "supervision:yearly_new": get(with_trainee(kind="development_talk")),
    "supervision:action_plan_new": get(trainee),
    "supervision:action_plan": get(plan),
    "supervision:action_plan_confirm": post(plan, data={"party": "trainee"}, fresh=True),
    "supervision:action_measure_done": post(
        lambda s: {**plan(s), "measure_pk": s.objects["plan_measure"].pk}
    ),
    "supervision:action_plan_close": post(plan, data={"outcome": "Kommit i kapp."}),
    # --- Assessments and goals ---
    "assessments:list": get(trainee),
    "assessments:request_360": get(trainee),
    "assessments:detail": get(of("assessment", "assessment_pk")),
    "assessments:sign": get(of("assessment", "assessment_pk"), fresh=True),
    "assessments:link_resend": post(of("external_assessment", "assessment_pk")),
    "assessments:progress": get(trainee),
    "assessments:catalogue_import": get(region),
    "assessments:signoff": get(with_trainee(goal="STa3"), fresh=True),
    "assessments:revoke": get(with_trainee(goal="STa3"), fresh=True),
    "assessments:history": get(trainee),
    # --- A unit's reviews ---
    "inspections:overview": get(region),
    "inspections:unit": get(unit),
    "inspections:new": get(unit),
    "inspections:pack": get(unit),
    "inspections:pack_pdf": get(unit),
    "inspections:self_assessment_start": post(unit),
    "inspections:self_assessment": get(
        lambda s: {"region": REGION, "pk": s.objects["self_assessment"].pk}
    ),
    "inspections:detail": get(inspection),
    "inspections:edit": get(inspection),
    "inspections:report_upload": post(inspection),
    "inspections:report": get(inspection),
    "inspections:finding_add": post(inspection),
    "inspections:measure_add": post(inspection),
    "inspections:measure_done": post(
        lambda s: {**inspection(s), "measure_pk": s.objects["inspection_measure"].pk}
    ),
    "inspections:approve": post(inspection),
    "inspections:follow_up": post(inspection),
}

ANSWERS = """
                                   anon  tr  otr sup sd  hou ra  rsd none guest else
home                               login 302 302 302 302 302 302 302 200  200   302
healthz                            200   200 200 200 200 200 200 200 200  200   200
invitation                         404   404 404 404 404 404 404 404 404  404   404
set_language                       302   302 302 302 302 302 302 302 302  302   302
assessment_links:token             200   403 200 200 200 200 200 200 200  200   200
notifications:list                 login 200 200 200 200 200 200 200 200  200   200
notifications:mark_read            login 302 404 404 404 404 404 404 404  404   404
notifications:mark_all_read        login 302 302 302 302 302 302 302 302  302   302
notifications:preferences          login 200 200 200 200 200 200 200 200  200   200
notifications:calendar_manage      login 200 200 200 200 200 200 200 200  200   200
notifications:calendar_feed        200   200 200 200 200 200 200 200 200  200   200
regions:home                       login 302 302 302 302 302 302 302 404  302   404
regions:study_director             login 403 403 403 200 403 403 200 404  404   404
regions:study_director_units       login 403 403 403 200 403 403 200 404  404   404
regions:study_director_risks       login 403 403 403 200 403 403 200 404  404   404
regions:study_director_export      login 403 403 403 200 403 403 200 404  404   404
regions:head_of_unit               login 403 403 403 403 200 403 403 404  404   404
regions:delegations                login 403 403 403 200 403 403 403 404  404   404
regions:delegation_end             login 403 403 403 302 403 403 403 404  404   404
regions:regional                   login 403 403 403 403 403 200 200 404  404   404
regions:unit_detail                login 403 403 403 200 200 200 200 404  404   404
regions:rules                      login 200 200 200 200 200 200 200 404  404   404
regions:rules_compare              login 200 200 200 200 200 200 200 404  404   404
regions:onboarding                 login 403 403 403 403 403 200 403 404  404   404
regions:login_settings             login 403 403 403 403 403 200 403 404  404   404
regions:onboarding_template_xlsx   login 403 403 403 403 403 200 403 404  404   404
regions:onboarding_template_csv    login 403 403 403 403 403 200 403 404  404   404
regions:onboarding_status          login 403 403 403 403 403 200 403 404  404   404
regions:onboarding_confirm         login 403 403 403 403 403 302 403 404  404   404
trainees:my_st                     login 200 200 403 403 403 403 403 404  404   404
trainees:enrol                     login 403 403 403 403 403 200 403 404  404   404
trainees:staff_new                 login 403 403 403 403 403 200 403 404  404   404
trainees:staff_invite              login 403 403 403 403 403 302 403 404  404   404
trainees:detail                    login 200 404 200 200 200 200 200 404  404   404
trainees:portfolio                 login 200 404 404 404 404 404 404 404  404   404
trainees:personnummer              login 200 404 200 200 404 200 404 404  404   404
trainees:assignments               login 403 403 403 403 403 200 403 404  404   404
trainees:invite                    login 403 403 403 403 403 302 403 404  404   404
trainees:contract                  login 200 404 200 200 200 200 200 404  404   404
trainees:contract_sign             login 200 404 200 200 200 403 403 404  404   404
trainees:iup                       login 200 404 200 200 200 200 200 404  404   404
trainees:iup_edit                  login 200 404 200 200 403 200 403 404  404   404
trainees:iup_version               login 200 404 200 200 200 200 200 404  404   404
trainees:iup_sign                  login 200 404 200 200 200 403 403 404  404   404
trainees:rotation_new              login 200 404 200 200 403 200 403 404  404   404
trainees:rotation                  login 200 404 200 200 200 200 200 404  200   404
trainees:activity_new              login 200 404 200 200 403 200 403 404  404   404
trainees:absence_new               login 200 404 200 200 403 200 403 404  404   404
trainees:record_delete             login 302 404 302 302 403 302 403 404  404   404
trainees:guest_rotations           login 404 404 404 404 404 404 404 404  200   404
trainees:grant_requests            login 403 403 403 200 200 403 200 404  404   404
trainees:grant_decide              login 403 403 403 404 404 403 404 404  404   404
trainees:certificates              login 200 404 200 200 200 403 403 404  404   404
trainees:official_forms            login 403 403 403 403 403 200 403 404  404   404
trainees:packet_new                login 302 404 403 403 403 403 403 404  404   404
trainees:packet_download           login 200 404 200 200 200 403 403 404  404   404
trainees:certificate               login 200 404 200 403 403 403 403 404  404   404
trainees:certificate_pdf           login 200 404 200 403 403 403 403 404  404   404
assessments:catalogue_import       login 403 403 403 403 403 200 403 404  404   404
trainees:external_assessor         login 403 404 302 302 403 403 403 404  404   404
supervision:home                   login 403 403 200 403 403 403 403 404  404   404
supervision:meeting_confirm        login 403 403 302 403 403 403 403 404  404   404
supervision:qualifications         login 403 403 200 200 403 403 200 404  404   404
supervision:unit_supervisors       login 403 403 403 200 200 403 200 404  404   404
supervision:meetings               login 200 404 200 200 200 200 200 404  404   404
supervision:meeting_new            login 200 404 200 200 403 200 403 404  404   404
supervision:yearly_new             login 403 404 403 403 200 403 403 404  404   404
supervision:action_plan_new        login 403 404 200 200 403 403 403 404  404   404
supervision:action_plan            login 200 404 200 200 200 200 200 404  404   404
supervision:action_plan_confirm    login 302 404 302 302 302 403 403 404  404   404
supervision:action_measure_done    login 302 404 302 302 403 403 403 404  404   404
supervision:action_plan_close      login 403 404 302 302 403 403 403 404  404   404
assessments:list                   login 200 404 200 200 200 200 200 404  404   404
assessments:request_360            login 200 404 200 200 403 200 403 404  404   404
assessments:detail                 login 200 404 200 200 200 200 200 404  404   404
assessments:sign                   login 403 404 200 403 403 403 403 404  404   404
assessments:link_resend            login 302 404 302 302 403 302 403 404  404   404
assessments:progress               login 200 404 200 200 200 200 200 404  404   404
assessments:signoff                login 403 404 200 403 403 403 403 404  200   404
assessments:revoke                 login 403 404 200 403 403 403 403 404  404   404
assessments:history                login 200 404 200 200 404 200 200 404  404   404
inspections:overview               login 403 403 403 200 200 200 200 404  404   404
inspections:unit                   login 403 403 403 200 200 200 200 404  404   404
inspections:new                    login 403 403 403 200 200 403 200 404  404   404
inspections:pack                   login 403 403 403 200 200 200 200 404  404   404
inspections:pack_pdf               login 403 403 403 200 200 200 200 404  404   404
inspections:self_assessment_start  login 403 403 403 302 302 403 302 404  404   404
inspections:self_assessment        login 403 403 403 200 200 200 200 404  404   404
inspections:detail                 login 403 403 403 200 200 200 200 404  404   404
inspections:edit                   login 403 403 403 200 200 403 200 404  404   404
inspections:report_upload          login 403 403 403 200 200 403 200 404  404   404
inspections:report                 login 403 403 403 200 200 200 200 404  404   404
inspections:finding_add            login 403 403 403 200 200 403 200 404  404   404
inspections:measure_add            login 403 403 403 200 200 403 200 404  404   404
inspections:measure_done           login 403 403 403 302 302 403 302 404  404   404
inspections:approve                login 403 403 403 403 302 403 403 404  404   404
inspections:follow_up              login 403 403 403 200 200 403 200 404  404   404
"""


# --- Django's admin and allauth: a rule per prefix ------------------------------------------------

# No persona is staff: every admin page sends them to the admin's login, except these.
# The admin's login hands over to allauth's (MFA, rate limits: issue 17): an
# anonymous visitor is sent there, a logged-in user without staff status refused.
ADMIN_OPEN = {"admin:login": "403", "admin:logout": "302"}
ADMIN_LOGIN_ANONYMOUS = "login"

# What an anonymous visitor gets from allauth's public pages; every other page
# under accounts/ sends them to the login. Logged-in personas never get an error.
ALLAUTH_ANONYMOUS = {
    "account_login": "200",
    "account_signup": "200",
    "account_inactive": "200",
    "account_email_verification_sent": "200",
    "account_confirm_email": "200",
    "account_reset_password": "200",
    "account_reset_password_done": "200",
    "account_reset_password_from_key": "200",
    "account_reset_password_from_key_done": "200",
    "socialaccount_login_cancelled": "200",
    "socialaccount_login_error": "401",
    # No identity provider is configured in the tests.
    "openid_connect_login": "404",
    "openid_connect_callback": "404",
    # allauth's old social/ addresses move permanently to 3rdparty/.
    "/accounts/social/login/cancelled/": "301",
    "/accounts/social/login/error/": "301",
    "/accounts/social/signup/": "301",
    "/accounts/social/connections/": "301",
}


def filled(route: str) -> str:
    """A concrete path for a route, with a placeholder in each argument."""
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<\w+:\w+>", "x", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "x1-y", route)
    return "/" + route.replace("^", "").replace("$", "")


# --- Asking -------------------------------------------------------------------------------------


def answer_of(response: HttpResponseBase) -> str:
    """The response in the matrix's words."""
    if response.status_code != 302:
        return str(response.status_code)
    location = response["Location"]
    if location.startswith(reverse("account_login")):
        return "login"
    if location.startswith(reverse("account_reauthenticate")):
        return "reauth"
    return "302"


def ask(
    scene: Scene, url: str, request: Request, persona: str, *, fresh: bool = True
) -> HttpResponseBase:
    """One request as one persona, undone afterwards so the next persona finds the same world."""
    client = scene.client(persona, fresh=fresh)
    with transaction.atomic():
        response = client.generic(request.method, url, urlencode(request.data), FORM)
        transaction.set_rollback(True)
    return response
