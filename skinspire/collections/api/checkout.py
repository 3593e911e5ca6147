"""Checkout: `POST /api/patient-payment/create-order` and `POST /api/patient-payment/verify`."""

from decimal import Decimal

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from skinspire.collections import selectors
from skinspire.collections.api.bills import WRITERS
from skinspire.collections.api.payments import MAX_ID, PatientPaymentOutputSerializer
from skinspire.collections.handover import return_urls
from skinspire.collections.services.checkout import (
    patient_payment_checkout_callback,
    patient_payment_order_create,
)
from skinspire.core.api import AmountField
from skinspire.core.authentication.throttling import ClientIPScopedRateThrottle


class CreateOrderInputSerializer(serializers.Serializer):
    bill_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    amount = AmountField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        allow_null=True,
        default=None,
    )
    provider = serializers.CharField(
        max_length=20,
        required=False,
        allow_null=True,
        default=None,
        help_text="A gateway name, e.g. razorpay, paytm.",
    )

    def validate_provider(self, value: str | None) -> str | None:
        # Which gateways exist is settings.GATEWAY_PROVIDERS (a third one needs no change here).
        if value is not None and value not in settings.GATEWAY_PROVIDERS:
            raise serializers.ValidationError(f"One of: {', '.join(sorted(settings.GATEWAY_PROVIDERS))}.")
        return value


class CreateOrderOutputSerializer(serializers.Serializer):
    payment_id = serializers.IntegerField(source="payment.pk")
    reference = serializers.CharField(source="payment.reference")
    provider = serializers.CharField(source="payment.source")
    order_id = serializers.CharField(source="order.gateway_order_id")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, source="payment.amount")
    key_id = serializers.SerializerMethodField()
    checkout_url = serializers.SerializerMethodField()
    checkout = serializers.DictField(
        source="order.checkout",
        help_text="The gateway's hosted checkout: POST checkout_fields to checkout_url (Razorpay Hosted Checkout, Paytm Show Payment Page); the rest for a page of your own.",
    )

    def get_key_id(self, created) -> str:
        # Razorpay Checkout's `key`, Paytm's MID: the public half of the account, for the browser.
        checkout = created.order.checkout
        return str(checkout.get("key_id") or checkout.get("mid") or "")

    def get_checkout_url(self, created) -> str:
        return str(created.order.checkout.get("checkout_url") or "")


class CreateOrderApi(APIView):
    """A payment row and a gateway order for (part of) what is open on a bill."""

    permission_classes = [WRITERS]

    @extend_schema(operation_id="patient_payment_create_order", request=CreateOrderInputSerializer,
                   responses={201: CreateOrderOutputSerializer})  # fmt: skip
    def post(self, request):
        serializer = CreateOrderInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        bill = selectors.bill_get(user=request.user, bill_id=data["bill_id"])
        created = patient_payment_order_create(
            actor=request.user,
            bill=bill,
            amount=data["amount"],
            provider=data["provider"],
            **return_urls(request),
        )
        return Response(CreateOrderOutputSerializer(created).data, status=201)


class VerifyInputSerializer(serializers.Serializer):
    payment_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    gateway_order_id = serializers.CharField(max_length=64)
    gateway_payment_id = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    signature = serializers.CharField(max_length=512, required=False, allow_blank=True, default="")
    callback = serializers.DictField(
        child=serializers.CharField(max_length=2000, allow_blank=True),
        required=False,
        default=dict,
        help_text="Paytm: every field of the callback form, CHECKSUMHASH included.",
    )

    def validate_callback(self, value: dict) -> dict:
        if len(value) > 60:
            raise serializers.ValidationError("Too many fields.")
        return value


class VerifyApi(APIView):
    """The checkout's callback. Authorised by the gateway's signature, not by a login: the
    patient's browser calls it. A bad signature is a 400, recorded, and nothing is captured; an
    id that names no checkout gets the same 400 after the same work (recorded too), so neither
    the answers nor their times tell which ids exist."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ClientIPScopedRateThrottle]
    throttle_scope = "anon"

    @extend_schema(operation_id="patient_payment_verify", request=VerifyInputSerializer,
                   responses=PatientPaymentOutputSerializer, auth=[])  # fmt: skip
    def post(self, request):
        serializer = VerifyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        verified = patient_payment_checkout_callback(
            payment_id=data["payment_id"],
            gateway_order_id=data["gateway_order_id"],
            gateway_payment_id=data["gateway_payment_id"],
            signature=data["signature"],
            callback_fields=data["callback"],
        )
        return Response(PatientPaymentOutputSerializer(verified).data)
