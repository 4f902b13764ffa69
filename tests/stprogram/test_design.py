"""The design system's colour tokens: each text colour meets WCAG AA on its backgrounds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = Path(settings.BASE_DIR) / "static" / "css" / "app.css"

# (text, background) as used in app.css: body text, links, buttons, badges, counts, statuses.
PAIRS = [
    ("ink", "bg"),
    ("ink", "surface"),
    ("ink", "surface-2"),
    ("ink", "accent-soft"),
    ("muted", "bg"),
    ("muted", "surface"),
    ("muted", "surface-2"),
    ("accent", "bg"),
    ("accent", "surface"),
    ("accent", "accent-soft"),
    ("accent-strong", "accent-soft"),
    ("accent-ink", "accent"),
    ("accent-ink", "accent-strong"),
    ("accent-ink", "bad"),
    ("ok", "surface"),
    ("ok", "ok-soft"),
    ("warn", "surface"),
    ("warn", "warn-soft"),
    ("bad", "surface"),
    ("bad", "bad-soft"),
    ("ink", "bad-soft"),
    ("muted", "bad-soft"),
    ("warn", "bad-soft"),
    ("accent", "bad-soft"),
]


def tokens() -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", CSS.read_text(encoding="utf-8"), re.S)
    assert root is not None
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", root.group(1)))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_colours_meet_aa(text: str, background: str) -> None:
    colours = tokens()
    ratio = contrast(colours[text], colours[background])
    assert ratio >= 4.5, f"--{text} on --{background}: {ratio:.2f}:1"


def test_the_contrast_formula_matches_wcag() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54
