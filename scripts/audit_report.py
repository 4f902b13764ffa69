"""Read pip-audit's and npm audit's JSON; fail on a known vulnerability.

    python scripts/audit_report.py PIP_JSON NPM_JSON [PIP_STDERR]

Exit 1 when either tool reports a vulnerability, or pip-audit could not run.
A feed that answered for no package at all is printed as NOT AUDITED (exit 0):
on a closed network there is nothing to learn, and a red build would say
something false about the dependencies.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _fixes(vuln: dict) -> str:
    return ", ".join(vuln.get("fix_versions") or ["?"])


def pip_verdict(text: str) -> tuple[list[str], str | None]:
    """Vulnerabilities found, and a warning when nothing could be looked up."""
    report = json.loads(text)
    deps = report.get("dependencies", [])
    found = [
        f"{d['name']} {d.get('version', '?')}: {v['id']} (fixed in {_fixes(v)})"
        for d in deps
        for v in d.get("vulns", [])
    ]
    audited = [d for d in deps if "skip_reason" not in d]
    warning = None
    if deps and not audited:
        warning = f"pip-audit: the vulnerability feed answered for none of {len(deps)} packages"
    return found, warning


def npm_verdict(text: str) -> tuple[list[str], str | None]:
    report = json.loads(text or "{}")
    if "vulnerabilities" not in report:
        return (
            [],
            f"npm audit: no answer from the advisory service ({report.get('message', 'empty')})",
        )
    found = [
        f"{name}: {item.get('severity')} ({item.get('range', '')})"
        for name, item in report["vulnerabilities"].items()
    ]
    return found, None


def main(pip_json: str, npm_json: str, pip_err: str | None = None) -> int:
    try:
        pip_found, pip_warning = pip_verdict(Path(pip_json).read_text())
    except (ValueError, OSError):
        err = Path(pip_err).read_text() if pip_err else ""
        print(f"pip-audit did not run:\n{err}", file=sys.stderr)
        return 1
    npm_found, npm_warning = npm_verdict(Path(npm_json).read_text())
    for line in pip_found + npm_found:
        print(f"VULNERABLE {line}")
    for warning in filter(None, (pip_warning, npm_warning)):
        print(f"!! NOT AUDITED: {warning}", file=sys.stderr)
    if pip_found or npm_found:
        return 1
    if not (pip_warning or npm_warning):
        print("No known vulnerabilities in the locked dependencies.")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
