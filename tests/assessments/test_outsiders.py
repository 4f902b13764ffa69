"""Every page of issue 4 against users of another region and users without the role."""

from __future__ import annotations

import pytest

TRAINEE_PAGES = [
    "bedomningar/",
    "bedomningar/360/",
    "delmal/",
    "historik/",
    "handledning/",
    "handledning/ny/",
    "uppfoljning/development_talk/ny/",
    "delmal/STa3/intyga/",
]
ROLE_PAGES = [
    "/blekinge/handledare/",
    "/blekinge/handledare/kompetens/",
    "/blekinge/handledare/enheter/",
]


@pytest.mark.parametrize("suffix", TRAINEE_PAGES)
def test_other_region_and_other_trainee_get_404(world, elsewhere, login, catalogue, suffix):
    url = f"/blekinge/st/{world.trainee.pk}/{suffix}"
    for user in (
        elsewhere.trainee.user,
        elsewhere.supervisor,
        elsewhere.study_director,
        elsewhere.regional_admin,
        world.other_trainee.user,
        world.no_role,
    ):
        response = login(user).get(url)
        assert response.status_code == 404, (user, url)
        assert world.trainee.user.last_name not in response.text


@pytest.mark.parametrize("url", ROLE_PAGES)
def test_role_pages_for_outsiders(world, elsewhere, login, url):
    assert login(elsewhere.supervisor).get(url).status_code == 404
    assert login(world.no_role).get(url).status_code == 404
    assert login(world.trainee.user).get(url).status_code == 403
