"""Issue 25 item 2: Min ST opens with what to do now; the meeting form asks the essentials first."""

from __future__ import annotations

import re

import pytest

from assessments.models import Goal, Regulation


def _todo(page: str) -> str:
    match = re.search(r'<ol class="todo">(.*?)</ol>', page, re.S)
    assert match, "no 'Att göra nu' list"
    return match.group(1)


def test_min_st_opens_with_the_three_most_urgent_things_and_their_buttons(world, login):
    page = login(world.trainee.user).get("/blekinge/min-st/").text
    todo = _todo(page)
    assert page.index("Att göra nu") < page.index("Föreskrift")  # before the facts
    items = re.findall(
        r'<li class="card card--(\w+)">.*?<a class="button[^"]*" href="([^"]+)"', todo, re.S
    )
    assert 1 <= len(items) <= 3
    # Overdue first: the trainee's IUP was due 2025-07-13 and is not approved.
    assert items[0][0] == "urgent"
    assert "Revision av IUP" in todo or "IUP" in todo
    assert all(href.startswith(f"/blekinge/st/{world.trainee.pk}/") for _tone, href in items)


def test_min_st_has_a_large_log_meeting_button_at_the_top(world, login):
    page = login(world.trainee.user).get("/blekinge/min-st/").text
    button = re.search(
        r'<a class="button button--large[^"]*" href="([^"]+)">Logga handledarsamtal</a>', page
    )
    assert button
    assert button.group(1) == f"/blekinge/st/{world.trainee.pk}/handledning/ny/"
    assert page.index(button.group(0)) < page.index('<ol class="todo">')


@pytest.fixture
def goals(world):
    for code, group, title in (
        ("STa1", Goal.Group.A, "Medarbetarskap"),
        ("STb1", Goal.Group.B, "Kommunikation med patienter"),
        ("STc1", Goal.Group.C, "Astma och KOL"),
    ):
        Goal.objects.create(
            regulation=Regulation.HSLF_FS_2021_8,
            code=code,
            group=group,
            title=title,
            specialty=world.unit.specialty if group == Goal.Group.C else None,
        )


def test_the_meeting_form_asks_date_length_and_topics_before_the_goals(world, goals, login):
    page = login(world.supervisor).get(f"/blekinge/st/{world.trainee.pk}/handledning/ny/").text
    order = [page.index(f'for="id_{name}"') for name in ("date", "minutes", "topics")]
    assert order == sorted(order)
    assert order[-1] < page.index("data-picker")


def test_goals_are_grouped_with_their_titles_and_searchable_only_with_javascript(
    world, goals, login
):
    page = login(world.supervisor).get(f"/blekinge/st/{world.trainee.pk}/handledning/ny/").text
    summaries = re.findall(r"<summary>(.*?) <span", page)
    assert summaries == ["a-delmål", "b-delmål", "c-delmål"]
    assert "STc1 Astma och KOL" in page
    assert re.search(r'<div class="picker__search" hidden>', page)  # shown by picker.js
    assert "js/picker.js" in page


def test_a_ticked_goal_opens_its_group_when_the_form_comes_back(world, goals, login):
    url = f"/blekinge/st/{world.trainee.pk}/handledning/ny/"
    page = (
        login(world.supervisor)
        .post(url, {"date": "", "minutes": "45", "goal_codes": ["STb1"]})
        .text
    )
    groups = re.findall(r'<details class="picker__group"( open)?>\s*<summary>(.*?) <span', page)
    assert (" open", "b-delmål") in groups
    assert ("", "a-delmål") in groups
