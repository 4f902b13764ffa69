"""The WeasyPrint drafts print well: nothing split across pages, nothing off the page."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from django.conf import settings

from stprogram.pdf import render_document
from tests.trainees.demo_drafts import demo_drafts_seeded
from trainees.certificates.drafts import Draft
from trainees.certificates.registry import FORMS_2015, FORMS_2021
from trainees.certificates.render import draft_html
from trainees.models import Trainee

pytestmark = pytest.mark.django_db
# The official forms are one page each (the printed blanks); the drafts must be too.
ONE_PAGE = {"2021-04", "2021-07", "2021-08", "2021-09", "2021-10", "2021-11"}
ONE_PAGE |= {f"2015-0{n}" for n in range(2, 8)}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        # No official form installed: these are the WeasyPrint drafts.
        patch.setattr(settings, "MEDIA_ROOT", tmp_path_factory.mktemp("media"))
        with demo_drafts_seeded(today=date(2026, 11, 23)) as drafts:
            yield drafts


def _layout(trainee: Trainee, draft: Draft):
    return render_document(draft_html(trainee, draft, full_personnummer=True, pdf=True))


def _pages_of(document, keep) -> dict[int, set[int]]:
    """For each element that `keep` selects, the pages its boxes are on."""
    pages: dict[int, set[int]] = defaultdict(set)
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and keep(element):
                pages[id(element)].add(number)
    return pages


def _is_block(element) -> bool:
    """A signature block, or a table row (not the header, which repeats on every page)."""
    if element.tag == "tr":
        return any(child.tag == "td" for child in element)
    return "signer" in (element.get("class") or "").split()


def _every(demo):
    for email, forms in (("st2021@halland.demo", FORMS_2021), ("st2015@blekinge.demo", FORMS_2015)):
        trainee, drafts = demo[email]
        for form in forms:
            yield form.key, trainee, next(d for d in drafts if d.form == form)


def test_one_page_forms_print_on_one_page(demo):
    for key, trainee, draft in _every(demo):
        if key in ONE_PAGE:
            assert len(_layout(trainee, draft).pages) == 1, key


def test_no_signature_block_or_table_row_is_split_across_pages(demo):
    for key, trainee, draft in _every(demo):
        split = [p for p in _pages_of(_layout(trainee, draft), _is_block).values() if len(p) > 1]
        assert not split, key


def test_a_long_service_list_keeps_its_rows_whole(demo):
    trainee, drafts = demo["st2021@halland.demo"]
    draft = next(d for d in drafts if d.form.key == "2021-06")
    rows = draft.fields["rows"]
    draft.fields["rows"] = rows * 12  # runs over several pages
    document = _layout(trainee, draft)
    assert len(document.pages) > 1
    split = [p for p in _pages_of(document, _is_block).values() if len(p) > 1]
    assert not split


def test_a_long_word_wraps_inside_the_page(demo):
    trainee, drafts = demo["st2021@halland.demo"]
    draft = next(d for d in drafts if d.form.key == "2021-09")
    draft.fields["description"] = "Registreringsnummer" + "X" * 180 + " slut."
    document = _layout(trainee, draft)
    for page in document.pages:
        right = page.width - 16 * 96 / 25.4 + 1  # the page's right margin, 16 mm, in px
        for box in page._page_box.descendants():
            if type(box).__name__ == "TextBox":
                assert box.position_x + box.width <= right, box.text[:30]
