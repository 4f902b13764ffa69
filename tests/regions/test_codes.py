"""The two code tables (engine and interface) and the five profiles name the same codes."""

from __future__ import annotations

from obligations.codes import CODE_DISPLAY, RECORD_CODES
from obligations.labels import CODE_LABELS
from obligations.links import TRAINEE_PAGES
from regions.rules.codes import CODES
from regions.rules.engine import CODE_EVENTS
from regions.rules.profile import REGIONS, load_profile
from stprogram.reminders.collect import CATEGORIES


def _profile_codes() -> set[str]:
    codes: set[str] = set()
    for slug in REGIONS:
        profile = load_profile(slug)
        codes |= {r.code for r in profile.rules} | {r.code for r in profile.rates}
    return codes


def test_the_engine_table_has_exactly_the_codes_the_profiles_use():
    assert set(CODES) == _profile_codes()


def test_the_interface_table_has_every_engine_code_and_the_record_codes_besides():
    assert set(CODE_DISPLAY) - RECORD_CODES == set(CODES)
    assert not RECORD_CODES & set(CODES)
    assert set(CODE_DISPLAY) >= RECORD_CODES


def test_labels_pages_categories_and_events_are_read_from_the_two_tables():
    assert set(CODE_LABELS) == set(CATEGORIES) == set(CODE_DISPLAY)
    assert set(TRAINEE_PAGES) <= {c for c, row in CODES.items() if row.subject == "trainee"}
    assert set(CODE_EVENTS) <= set(CODES)
    # Every code the engine matches against events says which events fulfil it.
    assert all(CODE_EVENTS[c] for c in CODE_EVENTS)
