"""Bundled profiles are valid and cite real sections; bad profiles are rejected clearly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from regions.rules.codes import CODES
from regions.rules.profile import (
    EXTENSION_CODES,
    REGIONS,
    ProfileError,
    all_profiles,
    load_profile,
    load_profile_file,
    parse_profile,
    regional_rule_sources,
)
from tests.rules.conftest import SPEC
from tests.shared_files import require_shared

GOOD_RULE = """
[[rules]]
code = "iup"
strength = "must"
months = 6
source = "000_78535177efd85ec7.txt §2.2"
text_sv = "IUP inom sex månader."
text_en = "IUP within six months."
"""
HEADER = (
    'slug = "blekinge"\nname = "Blekinge"\nsource_document = "000_78535177efd85ec7.txt"\n'
    'document = { title = "Riktlinje", owner = "Region Blekinge", version = "1" }\n'
    'parties = { contract = { groups = [["trainee"]], source = "000_78535177efd85ec7.txt §2.1" },'
    ' iup = { groups = [["trainee"], ["main_supervisor"]],'
    ' source = "000_78535177efd85ec7.txt §2.2" } }\n'
)


def _write(tmp_path: Path, body: str, name: str = "blekinge.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _error(tmp_path: Path, body: str) -> str:
    with pytest.raises(ProfileError) as caught:
        load_profile_file(_write(tmp_path, body))
    return str(caught.value)


def test_all_five_regions_load_in_order() -> None:
    profiles = all_profiles()
    assert list(profiles) == list(REGIONS)
    assert all(profile.rules for profile in profiles.values())


def test_profiles_are_cached_and_hashable() -> None:
    assert load_profile("halland") is load_profile("halland")
    assert len({hash(profile) for profile in all_profiles().values()}) == len(REGIONS)


def test_unknown_region_is_refused() -> None:
    with pytest.raises(ProfileError, match="okänd region 'gotland'"):
        load_profile("gotland")


def test_the_code_table_matches_the_spec() -> None:
    spec_text = require_shared(SPEC, "shared/spec").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_]+)` \| (\w+) \|", spec_text, re.M)
    spec = {code: row.subject for code, row in CODES.items() if code not in EXTENSION_CODES}
    assert dict(rows) == spec


@pytest.mark.parametrize("slug", REGIONS)
def test_every_source_names_a_section_that_exists_in_the_seed(seeds: Path, slug: str) -> None:
    """A rule's source is "FILE section"; each part of the section must occur in FILE.

    Compared without whitespace and case: the extraction broke some headings
    ("Utvärdering avHandledning").
    """
    profile = load_profile(slug)
    text = "".join((seeds / profile.source_document).read_text(encoding="utf-8").split()).casefold()
    cited = [r.source for r in profile.rules] + [r.source for r in profile.rates]
    cited += [i.source for i in profile.info] + regional_rule_sources(profile)
    for source in cited:
        file_name, section = source.split(" ", 1)
        assert file_name == profile.source_document
        for part in section.split(", "):
            heading = "".join(part.removeprefix("§").split()).casefold()
            assert heading in text, f"{slug}: {source!r} hittas inte i källan"


@pytest.mark.parametrize("slug", REGIONS)
def test_every_profile_names_its_document_as_the_seed_does(seeds: Path, slug: str) -> None:
    """Title and owner are what a reader looks the guideline up by; both occur in the seed."""
    profile = load_profile(slug)
    text = " ".join((seeds / profile.source_document).read_text(encoding="utf-8").split())
    document = profile.document
    assert document.title.casefold() in text.casefold()
    assert document.date in text
    assert document.date or document.version
    assert document.owner.startswith("Region ")


def test_a_profile_without_its_document_is_refused(tmp_path: Path) -> None:
    body = HEADER.replace("\ndocument = ", "\n# ") + GOOD_RULE
    assert _error(tmp_path, body).startswith("blekinge.toml: [document]: saknas")


@pytest.mark.parametrize("slug", REGIONS)
def test_reminders_default_lead_times(slug: str) -> None:
    reminders = load_profile(slug).reminders
    assert reminders.days_before == (30, 7)
    assert reminders.on_day is True
    assert reminders.days_after == (7,)
    assert reminders.escalate_after_days == 30


def test_a_minimal_profile_loads_with_default_reminders(tmp_path: Path) -> None:
    profile = load_profile_file(_write(tmp_path, HEADER + GOOD_RULE))
    rule = profile.rule("iup")
    assert (rule.kind, rule.strength, rule.months) == ("deadline", "must", 6)
    assert profile.reminders.days_before == (30, 7)


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        ('code = "iup"', 'code = "iup_final"', "regel 1: okänd kod 'iup_final'"),
        ("months = 6", "months = 6\nweeks = 2", "regel 1 (iup): okänd nyckel 'weeks'"),
        ("months = 6", "months = 0", "regel 1 (iup): months = 0 ska vara ett heltal 1-120"),
        ("months = 6", 'months = "6"', "regel 1 (iup): months = '6' ska vara ett heltal"),
        ("months = 6", "months = 6.5", "regel 1 (iup): months = 6.5 ska vara ett heltal"),
        ('strength = "must"', 'strength = "may"', "regel 1 (iup): strength 'may' ska vara"),
        ('source = "000_78535177efd85ec7.txt §2.2"\n', "", "regel 1 (iup): source saknas"),
        (
            "§2.2",
            "",
            "regel 1 (iup): source '000_78535177efd85ec7.txt ' ska vara 'FIL.txt avsnitt'",
        ),
        ("000_78535177efd85ec7.txt §", "001_6c26e9e13ad81653.txt §", "hör inte till 000_"),
        ('text_en = "IUP within six months."\n', "", "regel 1 (iup): text_en saknas"),
    ],
)
def test_bad_rules_name_the_file_and_the_rule(
    tmp_path: Path, replace: str, by: str, message: str
) -> None:
    assert replace in GOOD_RULE
    error = _error(tmp_path, HEADER + GOOD_RULE.replace(replace, by, 1))
    assert error.startswith("blekinge.toml: ")
    assert message in error


def test_a_duplicate_code_is_refused(tmp_path: Path) -> None:
    error = _error(tmp_path, HEADER + GOOD_RULE + GOOD_RULE)
    assert "regel 2 (iup): koden finns redan" in error


def test_a_missing_required_number_is_refused(tmp_path: Path) -> None:
    rule = GOOD_RULE.replace('"iup"', '"iup_revision"').replace("months = 6\n", "")
    assert "regel 1 (iup_revision): interval_months saknas" in _error(tmp_path, HEADER + rule)


def test_studierektor_followup_needs_exactly_one_kind(tmp_path: Path) -> None:
    rule = GOOD_RULE.replace('"iup"', '"studierektor_followup"')
    both = rule.replace("months = 6", "interval_months = 6\nquota = 1")
    assert "ange exakt en av interval_months och quota" in _error(tmp_path, HEADER + both)


def test_unknown_top_level_key_and_bad_slug(tmp_path: Path) -> None:
    assert "okänd nyckel 'version'" in _error(tmp_path, HEADER + "version = 2\n")
    other = HEADER.replace('slug = "blekinge"', 'slug = "halland"')
    assert "stämmer inte med filnamnet" in _error(tmp_path, other)


def test_invalid_toml_is_reported_with_the_file_name(tmp_path: Path) -> None:
    assert _error(tmp_path, "slug = ").startswith("blekinge.toml: ogiltig TOML")


@pytest.mark.parametrize(
    ("reminders", "message"),
    [
        ("days_before = [30, -7]", "days_before måste vara en lista av olika heltal"),
        ("days_before = [7, 7]", "days_before måste vara en lista av olika heltal"),
        ('on_day = "yes"', "on_day måste vara true eller false"),
        ("escalate_after_days = 0", "escalate_after_days måste vara ett heltal"),
        ("repeat = true", "[reminders]: okänd nyckel 'repeat'"),
    ],
)
def test_bad_reminders_are_refused(tmp_path: Path, reminders: str, message: str) -> None:
    error = _error(tmp_path, HEADER + f"[reminders]\n{reminders}\n" + GOOD_RULE)
    assert message in error


def test_bad_rate_rule_is_refused(tmp_path: Path) -> None:
    rate = """
[[rates]]
code = "supervision_hours"
strength = "should"
hours = 2
hours_max = 1
per = "week"
source = "000_78535177efd85ec7.txt §3.3"
text_sv = "x"
text_en = "x"
"""
    assert "hours_max får inte vara mindre än hours" in _error(tmp_path, HEADER + rate)
    assert "per 'day' ska vara en av" in _error(
        tmp_path, HEADER + rate.replace('"week"', '"day"').replace("hours_max = 1\n", "")
    )


def test_info_section_needs_a_source(tmp_path: Path) -> None:
    info = '\n[[info]]\nkey = "metrics"\ntext_sv = "x"\ntext_en = "x"\n'
    assert "info 1: source saknas" in _error(tmp_path, HEADER + info)


def test_rules_are_kept_subject_first_then_file_order(tmp_path: Path) -> None:
    unit_rule = """
[[rules]]
code = "self_assessment"
strength = "must"
interval_months = 24
source = "000_78535177efd85ec7.txt §2.6"
text_sv = "x"
text_en = "x"
"""
    profile = load_profile_file(_write(tmp_path, HEADER + unit_rule + GOOD_RULE))
    assert [r.code for r in profile.rules] == ["iup", "self_assessment"]
    assert profile.rule("self_assessment").first_review_months == 24


def test_hours_of_supervision_are_written_as_rates_not_rules() -> None:
    """supervision_hours is in the spec's code table but carries hours, per and phase."""
    data = {
        "slug": "blekinge",
        "name": "Blekinge",
        "source_document": "000_78535177efd85ec7.txt",
        "rules": [
            {
                "code": "supervision_hours",
                "strength": "must",
                "quota": 52,
                "source": "000_78535177efd85ec7.txt §3.3",
                "text_sv": "x",
                "text_en": "x",
            }
        ],
    }
    with pytest.raises(ProfileError, match=r"supervision_hours.*\[\[rates\]\]"):
        parse_profile(data, "blekinge.toml")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("", "[parties]: saknas"),
        (
            'parties = { iup = { groups = [["trainee"]],'
            ' source = "000_78535177efd85ec7.txt §2.2" } }',
            "[parties]: contract saknas",
        ),
        (
            'parties = { contract = { groups = [["boss"]],'
            ' source = "000_78535177efd85ec7.txt §2.1" },'
            ' iup = { groups = [["trainee"]], source = "000_78535177efd85ec7.txt §2.2" } }',
            "[parties].contract: groups ska vara listor av",
        ),
        (
            'parties = { contract = { groups = [["trainee"], ["trainee"]],'
            ' source = "000_78535177efd85ec7.txt §2.1" },'
            ' iup = { groups = [["trainee"]], source = "000_78535177efd85ec7.txt §2.2" } }',
            "en part står i flera grupper",
        ),
        (
            'parties = { contract = { groups = [["trainee"]] },'
            ' iup = { groups = [["trainee"]], source = "000_78535177efd85ec7.txt §2.2" } }',
            "[parties].contract: source saknas",
        ),
    ],
)
def test_bad_parties_are_refused(tmp_path: Path, table: str, message: str) -> None:
    header = HEADER.split("parties = ")[0] + table + "\n"
    assert message in _error(tmp_path, header + GOOD_RULE)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('owner = "trainee"\n', "owner 'trainee' ska vara en av head_of_unit, study_director"),
        (
            'also_met_by = ["iup_followup"]\n',
            "also_met_by ska vara en lista av händelsetyper (inga)",
        ),
        ('anchor = "bt_end"\n', "anchor 'bt_end' ska vara start eller st_start"),
        ("all_rotations = true\n", "all_rotations är true/false och bara för rotation_contact"),
    ],
)
def test_bad_owner_or_also_met_by_is_refused(tmp_path: Path, extra: str, message: str) -> None:
    rule = GOOD_RULE.replace('code = "iup"\n', 'code = "iup"\n' + extra)
    assert message in _error(tmp_path, HEADER + rule)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            '[action_plan]\nstrength = "may"\nsource = "000_78535177efd85ec7.txt §3.3"\n',
            "[action_plan]: strength 'may'",
        ),
        (
            '[head_of_unit_as_supervisor]\nstrength = "should"\n',
            "[head_of_unit_as_supervisor]: source saknas",
        ),
        (
            '[supervisor_qualification]\nspecialty = "any"\nbasic_course_from = "2008"\n'
            'source = "000_78535177efd85ec7.txt §1.4"\n',
            "basic_course_from ska vara ett datum",
        ),
        (
            '[study_director_qualification]\nspecialty = "any"\nstudy_director_course = "ja"\n'
            'source = "000_78535177efd85ec7.txt §1.4"\n',
            "supervisor_training, study_director_course och specialist_in_bt är true/false",
        ),
        (
            '[study_director_qualification]\nsource = "000_78535177efd85ec7.txt §1.4"\n',
            "specialty saknas",
        ),
    ],
)
def test_bad_regional_tables_are_refused(tmp_path: Path, table: str, message: str) -> None:
    assert message in _error(tmp_path, HEADER + table + GOOD_RULE)


def test_revision_parties_default_to_the_iup_parties(tmp_path: Path) -> None:
    profile = load_profile_file(_write(tmp_path, HEADER + GOOD_RULE))
    assert profile.iup_revision_parties == profile.iup_parties
    assert profile.action_plan is None
    assert profile.study_director_qualification is None


def test_the_regional_rules_the_issue_names_live_in_the_profiles() -> None:
    profiles = all_profiles()
    assert {s for s, p in profiles.items() if p.action_plan} == {
        "norrbotten",
        "jonkoping",
        "halland",
    }
    assert [s for s, p in profiles.items() if p.head_of_unit_as_supervisor] == ["jonkoping"]
    assert profiles["blekinge"].iup_revision_parties.groups == (
        ("trainee",),
        ("head_of_unit",),
        ("main_supervisor",),
    )
    assert profiles["norrbotten"].rule("supervisor_training").interval_months == 120
    assert profiles["norrbotten"].rule("supervisor_training_supplementary").interval_months == 36
    owned = {s: [r.code for r in p.rules if r.owner] for s, p in profiles.items()}
    assert owned == {
        "blekinge": ["development_talk"],
        "norrbotten": ["development_talk"],
        "ostergotland": ["development_talk"],
        "jonkoping": ["development_talk"],
        "halland": [],
    }
