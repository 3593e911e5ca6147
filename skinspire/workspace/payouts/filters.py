"""Filters of the supplier payments list: a GET form, so a filtered list is a link."""

from django import forms
from django.db.models import Q, QuerySet

from skinspire.gateways.providers.schemas import provider_choices
from skinspire.payouts.models import PaymentMethod, SupplierPayment, TransferMode
from skinspire.workspace.scope import WorkingScope

ANY = [("", "Any")]
ALL_BRANCHES = "all"


class PaymentFilterForm(forms.Form):
    q = forms.CharField(
        label="Search", required=False, max_length=100,
        help_text="Reference, UTR, gateway id, supplier, invoice or cheque number",
    )  # fmt: skip
    status = forms.ChoiceField(label="Status", required=False)
    method = forms.ChoiceField(label="Payment type", required=False, choices=ANY + PaymentMethod.choices)
    mode = forms.ChoiceField(label="Transfer", required=False, choices=ANY + TransferMode.choices)
    provider = forms.ChoiceField(label="Gateway", required=False)
    supplier = forms.TypedChoiceField(label="Supplier", required=False, coerce=int, empty_value=None)
    branch = forms.ChoiceField(label="Branch", required=False)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, scope: WorkingScope, suppliers: QuerySet, **kwargs):
        # The branch starts at the one the person works in (the session's scope).
        data = data.copy()
        if "branch" not in data:
            data["branch"] = str(scope.branch.pk) if scope.branch else ALL_BRANCHES
        super().__init__(data, **kwargs)
        self.scope = scope
        self.fields["status"].choices = ANY + SupplierPayment.state_machine.choices
        self.fields["provider"].choices = ANY + provider_choices()
        self.fields["supplier"].choices = ANY + [(item.pk, item.name) for item in suppliers]
        self.fields["branch"].choices = [(ALL_BRANCHES, "All my branches")] + [
            (str(item.pk), item.name) for item in scope.branches
        ]

    def apply(self, payments: QuerySet[SupplierPayment]) -> QuerySet[SupplierPayment]:
        """Narrow an already tenant-scoped queryset; invalid fields are left out (and shown)."""
        data = self.cleaned_data if self.is_valid() else {
            name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors
        }  # fmt: skip
        if self.scope.hospital is not None:
            payments = payments.filter(hospital=self.scope.hospital)
        for name, lookup in (
            ("status", "status"),
            ("method", "method"),
            ("mode", "mode"),
            ("supplier", "supplier_id"),
        ):
            if data.get(name) not in (None, ""):
                payments = payments.filter(**{lookup: data[name]})
        if data.get("provider"):
            provider = data["provider"]
            payments = payments.filter(
                Q(configuration__provider=provider)
                | Q(configuration__isnull=True, requested_provider=provider)
            )
        if data.get("branch") not in (None, "", ALL_BRANCHES):
            payments = payments.filter(branch_id=int(data["branch"]))
        if data.get("date_from"):
            payments = payments.filter(created_at__date__gte=data["date_from"])
        if data.get("date_to"):
            payments = payments.filter(created_at__date__lte=data["date_to"])
        if data.get("q"):
            payments = _search(payments, data["q"].strip())
        return payments


def _search(payments: QuerySet[SupplierPayment], text: str) -> QuerySet[SupplierPayment]:
    return payments.filter(
        Q(reference__icontains=text)
        | Q(utr__iexact=text)
        | Q(gateway_payout_id__iexact=text)
        | Q(manual_reference__icontains=text)
        | Q(supplier__name__icontains=text)
        | Q(allocations__invoice__number__icontains=text)
    ).distinct()
