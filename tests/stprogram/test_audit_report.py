"""The CI audit step: a known vulnerability fails, an unreachable feed is reported, not hidden."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLEAN_NPM = {"vulnerabilities": {}, "metadata": {}}
OFFLINE_NPM = {"message": "405 Method Not Allowed - POST …/advisories/bulk"}


def _run(tmp_path: Path, pip: dict, npm: dict) -> subprocess.CompletedProcess:
    (tmp_path / "pip.json").write_text(json.dumps(pip))
    (tmp_path / "npm.json").write_text(json.dumps(npm))
    return subprocess.run(
        [
            sys.executable,
            ROOT / "scripts/audit_report.py",
            tmp_path / "pip.json",
            tmp_path / "npm.json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_known_python_vulnerability_fails_the_build(tmp_path):
    pip = {
        "dependencies": [
            {
                "name": "django",
                "version": "6.1.0",
                "vulns": [{"id": "PYSEC-1", "fix_versions": ["6.1.1"]}],
            },
            {"name": "redis", "version": "5.0", "vulns": []},
        ]
    }
    result = _run(tmp_path, pip, CLEAN_NPM)
    assert result.returncode == 1
    assert "VULNERABLE django 6.1.0: PYSEC-1 (fixed in 6.1.1)" in result.stdout


def test_a_known_npm_vulnerability_fails_the_build(tmp_path):
    pip = {"dependencies": [{"name": "redis", "version": "5.0", "vulns": []}]}
    npm = {"vulnerabilities": {"axe-core": {"severity": "high", "range": "<4"}}}
    result = _run(tmp_path, pip, npm)
    assert result.returncode == 1
    assert "VULNERABLE axe-core: high" in result.stdout


def test_clean_dependencies_pass(tmp_path):
    pip = {"dependencies": [{"name": "redis", "version": "5.0", "vulns": []}]}
    result = _run(tmp_path, pip, CLEAN_NPM)
    assert result.returncode == 0
    assert "No known vulnerabilities" in result.stdout


def test_an_unreachable_feed_is_reported_as_not_audited(tmp_path):
    pip = {"dependencies": [{"name": "redis", "skip_reason": "Dependency not found on PyPI"}]}
    result = _run(tmp_path, pip, OFFLINE_NPM)
    assert result.returncode == 0
    assert "NOT AUDITED: pip-audit" in result.stderr
    assert "NOT AUDITED: npm audit" in result.stderr
    assert "No known vulnerabilities" not in result.stdout
