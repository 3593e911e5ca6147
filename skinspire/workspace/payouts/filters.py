"""Filters of the supplier payments list."""

from django import forms
from django.db.models import Q, QuerySet

from skinspire.payouts.models import PaymentMethod, SupplierPayment, TransferMode
from skinspire.payouts.selectors import payment_search
from skinspire.workspace.filters import ANY, ListFilterForm
from skinspire.workspace.scope import WorkingScope


class PaymentFilterForm(ListFilterForm):
    method = forms.ChoiceField(label="Payment type", required=False, choices=ANY + PaymentMethod.choices)
    mode = forms.ChoiceField(label="Transfer", required=False, choices=ANY + TransferMode.choices)
    supplier = forms.TypedChoiceField(label="Supplier", required=False, coerce=int, empty_value=None)

    statuses = SupplierPayment.state_machine
    field_order = ["q", "status", "method", "mode", "provider", "supplier", "branch", "date_from", "date_to"]

    def __init__(self, data, *, scope: WorkingScope, suppliers: QuerySet, **kwargs):
        super().__init__(data, scope=scope, **kwargs)
        self.fields["q"].help_text = "Reference, UTR, gateway id, supplier, invoice or cheque number"
        self.choice_field("supplier").choices = ANY + [(item.pk, item.name) for item in suppliers]

    def narrow(self, payments: QuerySet[SupplierPayment], data: dict) -> QuerySet[SupplierPayment]:
        for name, lookup in (("method", "method"), ("mode", "mode"), ("supplier", "supplier_id")):
            if data.get(name) not in (None, ""):
                payments = payments.filter(**{lookup: data[name]})
        if data.get("provider"):
            provider = data["provider"]
            payments = payments.filter(
                Q(configuration__provider=provider)
                | Q(configuration__isnull=True, requested_provider=provider)
            )
        if data.get("q"):
            payments = payments.filter(payment_search(term=data["q"].strip(), hospital=self.scope.hospital))
        return payments
