"""A missing ../shared skips locally and fails under make test and CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.shared_files import require_shared

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def local(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A developer's shell: neither the flag nor CI set."""
    monkeypatch.delenv("STPROGRAM_REQUIRE_SHARED", raising=False)
    monkeypatch.delenv("CI", raising=False)
    return monkeypatch


def test_a_present_file_is_returned(local, tmp_path: Path) -> None:
    path = tmp_path / "seed.md"
    path.write_text("x")
    local.setenv("STPROGRAM_REQUIRE_SHARED", "1")
    assert require_shared(path, "Frön") == path


def test_a_missing_file_skips_locally(local, tmp_path: Path) -> None:
    with pytest.raises(pytest.skip.Exception, match="Frön saknas"):
        require_shared(tmp_path / "missing", "Frön")


@pytest.mark.parametrize(("name", "value"), [("STPROGRAM_REQUIRE_SHARED", "1"), ("CI", "true")])
def test_a_missing_file_fails_where_shared_is_required(local, tmp_path, name, value) -> None:
    local.setenv(name, value)
    with pytest.raises(pytest.fail.Exception, match=r"Frön saknas: .*missing.*kräver den"):
        require_shared(tmp_path / "missing", "Frön")


def test_the_flag_off_still_skips(local, tmp_path: Path) -> None:
    local.setenv("STPROGRAM_REQUIRE_SHARED", "0")
    with pytest.raises(pytest.skip.Exception):
        require_shared(tmp_path / "missing", "Frön")


@pytest.mark.parametrize("script", ["scripts/test.sh", ".ci/run"])
def test_make_test_and_ci_require_shared(script: str) -> None:
    assert "export STPROGRAM_REQUIRE_SHARED=1" in (ROOT / script).read_text()


def test_no_test_skips_on_a_missing_shared_by_itself() -> None:
    """Every test reading ../shared goes through require_shared, so CI cannot skip it quietly."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("*.py")
        if '"shared"' in (text := path.read_text(encoding="utf-8")) and "require_shared" not in text
    ]
    assert offenders == []
