"""How a rule's source is cited to people: the guideline's owner, title and section.

Profiles keep the seed file name as the machine reference ("000_….txt §2.6");
nobody outside the project knows those files, so every page, mail and calendar
entry goes through ``cite()`` and names the document instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from regions.rules.profile import Profile, profile_for_document

_SOURCE = re.compile(r"^(\d{3}_[0-9a-f]{16}\.txt)(?: (\S.*))?$")


@dataclass(frozen=True)
class Citation:
    """A source as a reader looks it up, and the rules page where it is quoted."""

    text: str
    url: str


def cite(source: str, code: str = "") -> Citation | None:
    """The citation for ``source``; ``code`` (a rule) anchors the link to that rule.

    None when there is nothing to cite (an empty source).
    """
    match = _SOURCE.match(source.strip())
    if match is None:
        return None
    profile = profile_for_document(match.group(1))
    if profile is None:
        return None
    return Citation(text=_text(profile, match.group(2) or ""), url=rule_url(profile, code))


def citation_text(source: str) -> str:
    """Just the words of ``cite()``, for plain-text mail and calendar entries."""
    citation = cite(source)
    return citation.text if citation else ""


def rule_url(profile: Profile, code: str = "") -> str:
    """The region's rules page, at the rule ``code`` when the region has that rule."""
    url = reverse("regions:rules", kwargs={"region": profile.slug})
    return f"{url}#{rule_anchor(code)}" if code and profile.rule(code) else url


def rule_anchor(code: str) -> str:
    """The id of a rule's row on the rules page."""
    return f"regel-{code}"


def section_text(source: str) -> str:
    """Only the section of ``source`` ("avsnitt 2.1 ST-kontrakt"), where the document is implied."""
    match = _SOURCE.match(source.strip())
    profile = profile_for_document(match.group(1)) if match else None
    if profile is None or not match.group(2):
        return ""
    return _section(profile, match.group(2))


def _text(profile: Profile, ref: str) -> str:
    document = profile.document
    names = {"owner": document.owner, "title": document.title}
    if not ref:
        return _("%(owner)s, %(title)s") % names
    return _("%(owner)s, %(title)s, %(section)s") % {**names, "section": _section(profile, ref)}


def _section(profile: Profile, ref: str) -> str:
    section = profile.document.section_name(ref)
    if section[0].isdigit():
        return _("avsnitt %(section)s") % {"section": section}
    return _("avsnittet ”%(section)s”") % {"section": section}
