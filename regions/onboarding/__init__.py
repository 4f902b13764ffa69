"""Bulk onboarding (issue 24): a region's units, staff and trainees from the offices' files.

reader (CSV/XLSX → tables) → plan (the dry run, row by row) → apply (the
writes, in one transaction) → invitations (owed to new accounts, sent by the
worker). `services` is the entry point for the views, the command and the tasks.
"""
