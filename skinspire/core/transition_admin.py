"""Read-only status history for any model with a state machine, as an admin inline.

from skinspire.core.transition_admin import StatusTransitionInline

@admin.register(Payout)
class PayoutAdmin(admin.ModelAdmin):
    inlines = [StatusTransitionInline]
"""

from django.contrib.contenttypes.admin import GenericTabularInline

from skinspire.core.admin_display import person_display
from skinspire.core.admin_readonly import ReadOnlyAdminMixin
from skinspire.core.models import StatusTransition


# Read-only: only skinspire.core.transitions writes history.
class StatusTransitionInline(ReadOnlyAdminMixin, GenericTabularInline):
    model = StatusTransition
    ct_field = "content_type"
    ct_fk_field = "object_id"
    # The actor by name: a link to the user would be a 403 for everyone but superusers.
    fields = ("occurred_at", "from_state", "to_state", "outcome", "reason", "actor_name", "event_reference")
    readonly_fields = fields
    actor_name = person_display("actor", "actor")
    ordering = ["occurred_at", "id"]
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name = "status change"
    verbose_name_plural = "status history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    # History is part of the object it belongs to: whoever may open the object (the parent
    # admin has checked that before rendering any inline) may read its history.
    def has_view_permission(self, request, obj=None):
        return True
