"""Supplier payout links: `POST /api/gateway/create-payment-link` with a supplier (the
project routes bill bodies to collections, supplier bodies here: skinspire/link_api.py),
and `POST /api/payouts/payments/<id>/resend-link`. Cancelling is the payments' own
`/cancel`. Payments staff only; another hospital's ids are 404."""

from django.db import transaction
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from skinspire.payouts import selectors
from skinspire.payouts.api import serializers as api
from skinspire.payouts.api.views import PAYERS
from skinspire.payouts.models import PaymentMethod, TransferMode
from skinspire.payouts.services.allocations import AllocationRequest
from skinspire.payouts.services.approvals import supplier_payment_submit
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.services.payout_links import supplier_payout_link_resend

PAYOUT_LINK_EXAMPLE = OpenApiExample(
    "Supplier payout link",
    value={
        "supplier_id": 7,
        "amount": "12500.00",
        "invoices": [{"invoice_id": 31, "amount": "12500.00"}],
        "expire_in_hours": 48,
        "notify": ["email"],
        "idempotency_key": "link-inv31",
    },
    request_only=True,
)


class PayoutLinkOutput(api.PaymentOutput):
    """The payment, with the link as DESIGN.md names it: `url` and `expires_at` are empty
    until the gateway has issued the link (a task sends it after commit; poll the payment)."""

    url = serializers.CharField(source="payout_link_url", allow_blank=True)
    expires_at = serializers.DateTimeField(source="payout_link_expires_at", allow_null=True)

    class Meta(api.PaymentOutput.Meta):
        fields = [*api.PaymentOutput.Meta.fields, "url", "expires_at"]


class ResendOutput(serializers.Serializer):
    channels = serializers.ListField(child=serializers.CharField())
    payment = PayoutLinkOutput()


def payout_link_create_response(request) -> Response:
    """Validate a supplier payout-link body and record, submit (and, below the approval
    threshold, send) the payment. The same idempotency_key again returns the first (200)."""
    serializer = api.PayoutLinkInput(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    supplier = selectors.supplier_get(user=request.user, supplier_id=data["supplier_id"])
    payment_request = PaymentRequest(
        supplier=supplier,
        amount=data["amount"],
        method=PaymentMethod.PAYOUT_LINK,
        mode=TransferMode.SUPPLIER_CHOICE,
        provider=data.get("provider", ""),
        invoices=[AllocationRequest(item["invoice_id"], item["amount"]) for item in data.get("invoices", [])],
        idempotency_key=data.get("idempotency_key", ""),
        description=data.get("description", ""),
        link_expire_hours=data["expire_in_hours"],
        link_send_email="email" in data["notify"],
        link_send_sms="sms" in data["notify"],
    )
    with transaction.atomic():
        payment, created = supplier_payment_create(request=payment_request, maker=request.user)
        if created:
            supplier_payment_submit(payment=payment, actor=request.user)
    payment = selectors.payment_get(user=request.user, payment_id=payment.pk)
    return Response(
        PayoutLinkOutput(payment, context={"request": request}).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


class PayoutLinkResendView(APIView):
    """Send the supplier an issued, unclaimed payout link again, by e-mail and/or SMS (the
    gateway has no API to re-send its own notice); answers the channels used."""

    permission_classes = [PAYERS]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "link_resend"

    @extend_schema(operation_id="payouts_payment_resend_link", request=None, responses=ResendOutput)
    def post(self, request, payment_id: int):
        payment = selectors.payment_get(user=request.user, payment_id=payment_id)
        channels = supplier_payout_link_resend(payment=payment, actor=request.user)
        return Response(
            {"channels": channels, "payment": PayoutLinkOutput(payment, context={"request": request}).data}
        )
