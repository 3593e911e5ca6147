"""Discrepancy actions that resolve by pointing at a payment: link the gateway's line to one
of ours, or create the missing manual payment. One discrepancy at a time, through an
intermediate form; the services (services/resolutions.py) check, record and audit."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from skinspire.core.errors import ApplicationError
from skinspire.core.money import format_inr
from skinspire.reconciliation.admin.forms import CreatePaymentForm, LinkForm
from skinspire.reconciliation.selectors import discrepancy_gateway_line, linked_payment_reference
from skinspire.reconciliation.services.resolutions import (
    MissingPayment,
    discrepancy_link,
    discrepancy_payment_create,
)

TEMPLATE = "admin/reconciliation/discrepancy/resolve.html"


class PaymentResolutionActions:
    @admin.action(description="Link the selected discrepancy to one of our payments", permissions=["change"])
    def link_to_payment(self, request, queryset):
        form = LinkForm(request.POST if "note" in request.POST else None)
        return self._one(request, queryset, form, "link_to_payment", "Link", self._link)

    @admin.action(
        description="Create the missing manual payment for the selected discrepancy", permissions=["change"]
    )
    def create_missing_payment(self, request, queryset):
        form = CreatePaymentForm(request.POST if "note" in request.POST else None, user=request.user)
        return self._one(
            request, queryset, form, "create_missing_payment", "Create the payment", self._create
        )

    def _link(self, request, discrepancy, data) -> str:
        discrepancy_link(
            discrepancy=discrepancy,
            actor=request.user,
            payment_reference=data["payment_reference"],
            note=data["note"],
        )
        return f"Discrepancy #{discrepancy.pk} linked to payment {linked_payment_reference(discrepancy)}."

    def _create(self, request, discrepancy, data) -> str:
        supplier = data.get("supplier")
        missing = MissingPayment(
            bill_number=data.get("bill_number", ""),
            method=data.get("method", ""),
            supplier_id=supplier.pk if supplier else None,
        )
        discrepancy_payment_create(
            discrepancy=discrepancy, actor=request.user, missing=missing, note=data["note"]
        )
        return f"Discrepancy #{discrepancy.pk}: payment {linked_payment_reference(discrepancy)} created."

    def _one(self, request, queryset, form, action: str, label: str, apply):
        if queryset.count() != 1:
            messages.error(request, "Select exactly one discrepancy for this action.")
            return None
        discrepancy = queryset.get()
        if form.is_valid():
            try:
                messages.success(request, apply(request, discrepancy, form.cleaned_data))
                return None
            except ApplicationError as error:
                # Shown on the form, beside the field it is about when the service names one.
                # The service names a model's field (supplier_id) where the form has supplier.
                fields = [name.removesuffix("_id") for name in error.extra.get("fields") or {}]
                field = next((name for name in fields if name in form.fields), None)
                form.add_error(field, error.message)
        line = discrepancy_gateway_line(discrepancy)
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            # What is being linked or recorded: the accountant compares it with our payment.
            "line": line,
            "line_amount": format_inr(line.amount) if line else "",
            "title": f"{label}: discrepancy #{discrepancy.pk}",
            "opts": self.opts,  # type: ignore[attr-defined]
            "form": form,
            "discrepancies": [discrepancy],
            "selected": [str(discrepancy.pk)],
            "action": action,
            "submit_label": label,
        }
        return TemplateResponse(request, TEMPLATE, context)
