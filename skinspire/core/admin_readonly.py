"""Admin pages that only show: no add, change or delete, whatever permissions a user holds.

For records that change only through services (payments, journal entries, the inbox, the
audit log). Put it before the admin base class; it serves inlines too."""

from typing import Any


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
