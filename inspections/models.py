"""External inspections (SPUR) and self-assessments of training units."""

from __future__ import annotations
