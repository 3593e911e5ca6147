"""Admin forms: starting a run, resolving discrepancies (by hand, by a link, by a new payment)."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from skinspire.collections.models import ManualMethod
from skinspire.core.tenancy import scope_queryset
from skinspire.gateways.models import GatewayConfiguration
from skinspire.payouts.models import Supplier
from skinspire.reconciliation.models import Discrepancy
from skinspire.reconciliation.services.discrepancies import RESOLUTIONS_BY_HAND
from skinspire.reconciliation.services.resolutions import BOTH_GIVEN


def yesterday():
    return timezone.localdate() - timedelta(days=1)


class StartRunForm(forms.Form):
    configuration = forms.ModelChoiceField(queryset=GatewayConfiguration.objects.none())
    run_date = forms.DateField(initial=yesterday, help_text="The settlement date to reconcile.")
    report = forms.FileField(
        required=False,
        help_text="The gateway's settlement report (.csv or .xlsx). Without one, the settlement is fetched from the gateway.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        configurations = GatewayConfiguration.objects.without_secrets().active().order_by("name")
        self.fields["configuration"].queryset = scope_queryset(configurations, user)

    def clean_run_date(self):
        # No gateway has settled a day still to come: such a date is a slip, and its empty run
        # would become the configuration's latest on the dashboard, hiding the real one.
        run_date = self.cleaned_data["run_date"]
        today = timezone.localdate()
        if run_date > today:
            raise forms.ValidationError(
                f"A settlement date cannot be after today ({today:%-d %b %Y}, India time)."
            )
        return run_date


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        choices=[
            (value, label) for value, label in Discrepancy.Resolution.choices if value in RESOLUTIONS_BY_HAND
        ]
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why: it is kept with the discrepancy and in the audit log.",
    )


class LinkForm(forms.Form):
    payment_reference = forms.CharField(
        max_length=60,
        help_text="Our reference of the payment, refund or supplier payment this gateway line is.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why: it is kept with the discrepancy and in the audit log.",
    )


class CreatePaymentForm(forms.Form):
    """A patient's payment needs the bill and how it was recorded; a payout, its supplier."""

    bill_number = forms.CharField(max_length=40, required=False, help_text="For a patient's payment.")
    method = forms.ChoiceField(choices=[("", "—"), *ManualMethod.choices], required=False)
    supplier = forms.ModelChoiceField(
        queryset=Supplier.objects.none(), required=False, help_text="For a supplier payout."
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why: it is kept with the discrepancy, on the payment and in the audit log.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = scope_queryset(Supplier.objects.order_by("name"), user)

    def clean(self):
        # One payment or the other: with both, which one was meant is a guess (the service
        # refuses the one the line's kind does not take, for callers other than this form).
        cleaned = super().clean()
        if (cleaned.get("bill_number") or "").strip() and cleaned.get("supplier"):
            raise forms.ValidationError(BOTH_GIVEN)
        return cleaned
