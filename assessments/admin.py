"""The catalogue in the Django admin: for looking, since the shipped files are the source."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from assessments.models import Curriculum, Goal


class ReadOnlyAdmin(admin.ModelAdmin):
    """Edits here would be overwritten by the next load_catalogue: change the files instead."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "regulation", "group", "specialty", "is_placeholder")
    list_filter = ("regulation", "group", "specialty", "is_placeholder")
    search_fields = ("code", "title", "requirement_text")
    list_select_related = ("specialty",)
    ordering = ("regulation", "specialty__name", "sort_order")


@admin.register(Curriculum)
class CurriculumAdmin(ReadOnlyAdmin):
    list_display = ("specialty", "regulation", "has_b_goals", "source_note")
    list_filter = ("regulation", "has_b_goals")
    list_select_related = ("specialty",)
