"""``review|review_urgent``: a review due within 90 days (or overdue) stands out on the page."""

from __future__ import annotations

from django import template

from obligations.review_attention import is_urgent
from obligations.unit_reviews import Countdown

register = template.Library()


@register.filter
def review_urgent(review: Countdown) -> bool:
    """True when the review is due within 90 days or overdue, and not done."""
    return is_urgent(review)
