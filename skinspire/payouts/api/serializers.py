"""Input and output serializers of the payouts API. Amounts are decimal strings in rupees."""

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from skinspire.core.api import AmountField
from skinspire.gateways.providers.schemas import provider_choices
from skinspire.payouts.models import GATEWAY_MODES, MANUAL_MODES, SupplierAccount, SupplierPayment
from skinspire.payouts.selectors import payout_link_url_visible
from skinspire.payouts.services.payout_link_checks import LINK_EXPIRY_HOURS

AMOUNT: dict[str, Any] = {
    "max_digits": 14,
    "decimal_places": 2,
    "min_value": Decimal("0.01"),
    "coerce_to_string": True,
}
# Named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"], so each set of modes has its own schema name.
# Named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]: patient payments have a status and a method too.
SUPPLIER_PAYMENT_STATUS_CHOICES = SupplierPayment.state_machine.choices
GATEWAY_MODE_CHOICES = [mode.value for mode in GATEWAY_MODES]
MANUAL_MODE_CHOICES = [mode.value for mode in MANUAL_MODES]


class InvoiceShareInput(serializers.Serializer):
    invoice_id = serializers.IntegerField(min_value=1, max_value=2**62)
    amount = AmountField(**AMOUNT)


class PaymentBaseInput(serializers.Serializer):
    supplier_id = serializers.IntegerField(min_value=1, max_value=2**62)
    amount = AmountField(**AMOUNT)
    # many=True hands max_length to the ListSerializer it builds; the stubs omit it.
    invoices = InvoiceShareInput(many=True, required=False, max_length=100)  # type: ignore[call-arg]
    idempotency_key = serializers.CharField(max_length=100, required=False, allow_blank=False)


class InitiatePayoutInput(PaymentBaseInput):
    account_id = serializers.IntegerField(min_value=1, max_value=2**62)
    mode = serializers.ChoiceField(choices=GATEWAY_MODE_CHOICES)
    provider = serializers.ChoiceField(choices=provider_choices(), required=False)


class ManualPaymentInput(PaymentBaseInput):
    mode = serializers.ChoiceField(choices=MANUAL_MODE_CHOICES)
    manual_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


class PayoutLinkInput(PaymentBaseInput):
    """A supplier payout link: the supplier enters their own UPI id or bank account on the
    gateway's page. The body of `POST /api/gateway/create-payment-link` with `supplier_id`."""

    expire_in_hours = serializers.ChoiceField(choices=LINK_EXPIRY_HOURS, default=48)
    notify = serializers.ListField(
        child=serializers.ChoiceField(choices=["email", "sms"]),
        required=False,
        default=list,
        max_length=2,
        help_text="The gateway sends the link by e-mail and/or SMS.",
    )
    provider = serializers.ChoiceField(choices=provider_choices(), required=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class AccountOutput(serializers.ModelSerializer):
    type = serializers.CharField(source="kind")
    account = serializers.CharField(source="masked", help_text="Masked: XXXX1234 (IFSC) or ab***@bank.")
    verified = serializers.SerializerMethodField()
    payable = serializers.SerializerMethodField()

    class Meta:
        model = SupplierAccount
        fields = [
            "id",
            "type",
            "holder_name",
            "account",
            "verified",
            "validation_status",
            "registered_name",
            "name_mismatch",
            "approval_status",
            "payable",
            "payable_after",
            "is_active",
        ]

    def get_verified(self, account) -> bool:
        return account.validation_status == "active"

    def get_payable(self, account) -> bool:
        return account.is_payable()


class AccountCreateInput(serializers.Serializer):
    type = serializers.ChoiceField(choices=["bank", "upi"])
    holder_name = serializers.CharField(max_length=120)
    account_number = serializers.CharField(max_length=35, required=False, allow_blank=True, write_only=True)
    ifsc = serializers.CharField(max_length=11, required=False, allow_blank=True)
    vpa = serializers.CharField(max_length=100, required=False, allow_blank=True, write_only=True)


class AccountDetailsInput(serializers.Serializer):
    holder_name = serializers.CharField(max_length=120)
    account_number = serializers.CharField(max_length=35, required=False, allow_blank=True, write_only=True)
    ifsc = serializers.CharField(max_length=11, required=False, allow_blank=True)
    vpa = serializers.CharField(max_length=100, required=False, allow_blank=True, write_only=True)


class AllocationOutput(serializers.Serializer):
    invoice_id = serializers.IntegerField()
    invoice_number = serializers.CharField(source="invoice.number")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class TransitionOutput(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    outcome = serializers.CharField()
    reason = serializers.CharField()
    actor = serializers.CharField(source="actor.username", default=None)
    event_reference = serializers.CharField()


class PaymentOutput(serializers.ModelSerializer):
    gateway = serializers.SerializerMethodField()
    account = serializers.CharField(source="account.masked", default=None)
    supplier_receives = serializers.DecimalField(source="amount", max_digits=14, decimal_places=2)
    total_debit = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by.username")
    approved_by = serializers.CharField(source="approved_by.username", default=None)
    allocations = AllocationOutput(many=True)

    class Meta:
        model = SupplierPayment
        fields = [
            "id",
            "reference",
            "status",
            "supplier_id",
            "account_id",
            "account",
            "method",
            "mode",
            "amount",
            "gateway",
            "fee_preview",
            "supplier_receives",
            "total_debit",
            "fee",
            "tax",
            "utr",
            "gateway_payout_id",
            "failure_reason",
            "failure_code",
            "waiting_reason",
            "waiting_code",
            "idempotency_key",
            "created_by",
            "approved_by",
            "rejection_reason",
            "manual_reference",
            "payout_link_id",
            "payout_link_url",
            "payout_link_status",
            "payout_link_expires_at",
            "allocations",
            "created_at",
            "updated_at",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not payout_link_url_visible(request.user, request=request):
            # The address claims the money: only for those who send it (selectors.py).
            for name in ("payout_link_url", "url"):
                if data.get(name):
                    data[name] = ""
        return data

    def get_gateway(self, payment) -> str | None:
        if payment.configuration_id:
            return payment.configuration.provider
        return payment.requested_provider or None

    def get_total_debit(self, payment) -> str | None:
        return None if payment.fee_preview is None else f"{payment.amount + payment.fee_preview:.2f}"


class PaymentDetailOutput(PaymentOutput):
    history = serializers.SerializerMethodField()

    class Meta(PaymentOutput.Meta):
        fields = [*PaymentOutput.Meta.fields, "history"]

    @extend_schema_field(TransitionOutput(many=True))
    def get_history(self, payment) -> list[dict]:
        from skinspire.payouts.selectors import payment_history

        # many=True builds a ListSerializer, whose data is a list; the stubs say ReturnDict.
        return TransitionOutput(payment_history(payment=payment), many=True).data  # type: ignore[return-value]
