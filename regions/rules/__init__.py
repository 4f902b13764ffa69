"""The rule engine: plain Python (no Django) that turns ST facts into obligations.

See docs/rules.md and shared/spec/portfolio-format.md.
"""
