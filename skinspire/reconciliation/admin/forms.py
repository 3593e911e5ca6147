"""Admin forms: starting a run, resolving discrepancies."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from skinspire.core.tenancy import scope_queryset
from skinspire.gateways.models import GatewayConfiguration
from skinspire.reconciliation.models import Discrepancy
from skinspire.reconciliation.services.discrepancies import RESOLUTIONS_BY_HAND


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
