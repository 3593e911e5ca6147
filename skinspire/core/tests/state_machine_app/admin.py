from django.contrib import admin

from skinspire.core.tests.state_machine_app.models import TrialPayout
from skinspire.core.transition_admin import StatusTransitionInline


@admin.register(TrialPayout)
class TrialPayoutAdmin(admin.ModelAdmin):
    list_display = ["reference", "status"]
    readonly_fields = ["status"]
    inlines = [StatusTransitionInline]
