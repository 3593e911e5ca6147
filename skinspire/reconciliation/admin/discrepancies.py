"""Discrepancies: filter by category, status, provider and date; resolve with a reason; export."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from skinspire.core.admin_display import person_display
from skinspire.core.errors import ApplicationError
from skinspire.core.tenancy import TenantScopedAdminMixin
from skinspire.reconciliation.admin.exporting import ExcelExportMixin
from skinspire.reconciliation.admin.forms import ResolveForm
from skinspire.reconciliation.admin.resolutions import PaymentResolutionActions
from skinspire.reconciliation.admin.resources import DiscrepancyResource
from skinspire.reconciliation.models import Discrepancy
from skinspire.reconciliation.services.discrepancies import discrepancy_resolve


@admin.register(Discrepancy)
class DiscrepancyAdmin(TenantScopedAdminMixin, ExcelExportMixin, PaymentResolutionActions, admin.ModelAdmin):
    resolved_by_name = person_display("resolved_by", "resolved by")
    resource_classes = [DiscrepancyResource]
    list_display = [
        "id", "run_date", "category", "status", "amount_difference", "summary", "configuration", "resolution",
        "resolved_by_name",
    ]  # fmt: skip
    list_filter = ["category", "status", "configuration__provider", "run_date"]
    search_fields = ["summary", "gateway_keys", "system_keys"]
    date_hierarchy = "run_date"
    list_select_related = ["configuration", "resolved_by"]
    fields = (
        "hospital", "configuration", "category", "status", "run_date", "first_run", "last_run", "gateway_keys",
        "system_keys", "summary", "amount_difference", "resolution", "resolution_note", "linked_key", "resolved_by_name", "resolved_at",
    )  # fmt: skip
    readonly_fields = fields
    actions = ["resolve", "link_to_payment", "create_missing_payment"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # A discrepancy changes only through the resolve action; its page is read-only.
        return obj is None and super().has_change_permission(request)

    @admin.action(description="Resolve the selected open discrepancies", permissions=["change"])
    def resolve(self, request, queryset):
        form = ResolveForm(request.POST if "resolution" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": "Resolve discrepancies",
                "opts": self.opts,
                "form": form,
                "discrepancies": queryset,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "action": "resolve",
                "submit_label": "Resolve",
            }
            return TemplateResponse(request, "admin/reconciliation/discrepancy/resolve.html", context)
        resolved, skipped = 0, queryset.exclude(status="open").count()
        for discrepancy in queryset.filter(status="open"):
            try:
                discrepancy_resolve(
                    discrepancy=discrepancy,
                    actor=request.user,
                    resolution=form.cleaned_data["resolution"],
                    note=form.cleaned_data["note"],
                )
                resolved += 1
            except ApplicationError:
                skipped += 1  # resolved meanwhile by someone else
        messages.success(request, f"{resolved} resolved, {skipped} left as they were (not open).")
        return None
