"""Filters of the patient payments list."""

from django import forms
from django.db.models import Q, QuerySet

from skinspire.collections.models import ManualMethod, PatientPayment, PaymentCategory
from skinspire.collections.selectors import patient_payment_lookup
from skinspire.workspace.filters import ANY, ListFilterForm


class PatientPaymentFilterForm(ListFilterForm):
    category = forms.ChoiceField(label="Paid", required=False, choices=ANY + PaymentCategory.choices)
    method = forms.ChoiceField(label="Counter method", required=False, choices=ANY + ManualMethod.choices)
    patient = forms.CharField(
        label="Patient", required=False, max_length=100, help_text="Name or number (UHID)"
    )

    statuses = PatientPayment.state_machine
    field_order = [
        "q",
        "status",
        "category",
        "method",
        "provider",
        "patient",
        "branch",
        "date_from",
        "date_to",
    ]

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["q"].help_text = "Reference, bill number, gateway order or payment id"

    def narrow(self, payments: QuerySet[PatientPayment], data: dict) -> QuerySet[PatientPayment]:
        if data.get("category"):
            payments = payments.filter(category=data["category"])
        if data.get("method"):
            payments = payments.filter(method=data["method"])
        if data.get("provider"):
            payments = payments.filter(category=PaymentCategory.GATEWAY, source=data["provider"])
        if data.get("patient"):
            text = data["patient"].strip()
            payments = payments.filter(
                Q(bill__patient__name__icontains=text) | Q(bill__patient__patient_number__iexact=text)
            )
        if data.get("q"):
            payments = payments.filter(patient_payment_lookup(term=data["q"].strip()))
        return payments
