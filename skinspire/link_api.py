"""`POST /api/gateway/create-payment-link`: one path for both kinds of link (DESIGN.md,
"The public HTTP interface"). A body with `bill_id` is a patient's payment link
(collections); a body with `supplier_id` is a supplier's payout link (payouts).

It lives in the project package, beside urls.py, because it names both apps and neither
may import the other; each app keeps its own validation and service behind a function.
"""

from drf_spectacular.utils import OpenApiExample, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from skinspire.collections.api.links import (
    PaymentLinkCreateInputSerializer,
    PaymentLinkOutputSerializer,
    bill_link_create_response,
)
from skinspire.core.permissions import HasRole
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.payouts.api.payout_links import (
    PAYOUT_LINK_EXAMPLE,
    PayoutLinkOutput,
    payout_link_create_response,
)
from skinspire.payouts.api.serializers import PayoutLinkInput

BILL_LINK_EXAMPLE = OpenApiExample(
    "Patient payment link",
    value={"bill_id": 42, "amount": "1500.00", "expire_in_hours": 48, "notify": ["email", "sms"]},
    request_only=True,
)


class CreatePaymentLinkView(APIView):
    """A hosted link: for a patient's bill (`bill_id`, answered with the payment link) or for
    a supplier (`supplier_id`, answered with the payout-link payment, 201; the same
    idempotency_key again answers 200 with the first)."""

    permission_classes = [HasRole(ROLE_PAYMENTS_STAFF)]

    @extend_schema(
        operation_id="gateway_create_payment_link",
        request=PolymorphicProxySerializer(
            component_name="CreatePaymentLink",
            serializers=[PaymentLinkCreateInputSerializer, PayoutLinkInput],
            resource_type_field_name=None,
        ),
        responses={
            201: PolymorphicProxySerializer(
                component_name="CreatePaymentLinkResponse",
                serializers=[PaymentLinkOutputSerializer, PayoutLinkOutput],
                resource_type_field_name=None,
            ),
            200: PayoutLinkOutput,
        },
        examples=[BILL_LINK_EXAMPLE, PAYOUT_LINK_EXAMPLE],
    )
    def post(self, request):
        data = request.data
        keys = set(data) if isinstance(data, dict) else set()
        if {"bill_id", "supplier_id"} <= keys:
            raise serializers.ValidationError(
                {
                    "supplier_id": [
                        "Give bill_id for a patient's link or supplier_id for a supplier's, not both."
                    ]
                }
            )
        if "bill_id" in keys:
            return bill_link_create_response(request)
        if "supplier_id" in keys:
            return payout_link_create_response(request)
        required = "Give bill_id (a patient's payment link) or supplier_id (a supplier's payout link)."
        raise serializers.ValidationError({"bill_id": [required], "supplier_id": [required]})
