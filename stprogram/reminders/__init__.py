"""Deadline reminders: the outbox, e-mail and in-app notifications, digests and calendar feeds."""
