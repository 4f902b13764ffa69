"""``{% cite source code %}``: a guideline citation linked to the rules page."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from obligations.citations import cite as _cite
from regions.rules.profile import load_profile

register = template.Library()


@register.simple_tag
def cite(source: str, code: str = "") -> SafeString | str:
    """The document and section of ``source`` as a link; nothing for an empty source."""
    citation = _cite(source or "", code)
    if citation is None:
        return ""
    return format_html('<a href="{}">{}</a>', citation.url, citation.text)


@register.simple_tag
def rule_citation(region_slug: str, code: str) -> SafeString | str:
    """The region's own source for obligation ``code``; nothing if the region has no such rule.

    Forms shared by all regions (the yearly records) cite the viewer's region,
    never a fixed document that may belong to another region.
    """
    rule = load_profile(region_slug).rule(code)
    return cite(rule.source, code) if rule else ""
