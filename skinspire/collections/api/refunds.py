"""Refunds of a patient payment: `GET`/`POST /api/patient-payments/<id>/refunds`."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from skinspire.collections import selectors
from skinspire.collections.api.bills import READERS, WRITERS
from skinspire.collections.services.refunds import patient_refund_create_once
from skinspire.core.api import AmountField


class RefundOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    payment_id = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    reason = serializers.CharField()
    status = serializers.CharField()
    gateway_refund_id = serializers.CharField()
    bank_reference = serializers.CharField()
    failure_reason = serializers.CharField()
    processed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    # Set while a gateway refund has been pending longer than the gateway's bound
    # (services/gateway_refunds_overdue.py); null otherwise. Only the watch writes them.
    attention_reason = serializers.CharField(
        read_only=True, allow_null=True,
        help_text="Why a person must act on this refund (it has been pending at the gateway too long), "
        "and what to do; null when nothing is needed.",
    )  # fmt: skip
    attention_since = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the refund was marked as needing attention; null when not.",
    )


class RefundCreateInputSerializer(serializers.Serializer):
    amount = AmountField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), required=False, allow_null=True, default=None,
        help_text="Leave out for everything that can still be refunded.",
    )  # fmt: skip
    reason = serializers.CharField(max_length=500)
    idempotency_key = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=False,
        help_text="Yours, unique in the hospital: the same key again returns the first refund (200).",
    )


class PatientRefundListCreateApi(APIView):
    """`GET`: the payment's refunds. `POST`: refund all or part of it, with a reason; never
    more than was received minus what is refunded or being refunded (409 otherwise). The same
    idempotency_key again returns the first refund (200), without asking the gateway again;
    for another payment or amount it is a 409."""

    def get_permissions(self):
        return [(READERS if self.request.method == "GET" else WRITERS)()]

    @extend_schema(operation_id="patient_refund_list", responses=RefundOutputSerializer(many=True))
    def get(self, request, payment_id: int):
        payment = selectors.patient_payment_get(user=request.user, payment_id=payment_id)
        return Response(RefundOutputSerializer(payment.refunds.all(), many=True).data)

    @extend_schema(operation_id="patient_refund_create", request=RefundCreateInputSerializer,
                   responses={201: RefundOutputSerializer, 200: RefundOutputSerializer})  # fmt: skip
    def post(self, request, payment_id: int):
        payment = selectors.patient_payment_get(user=request.user, payment_id=payment_id)
        serializer = RefundCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refund, created = patient_refund_create_once(
            actor=request.user, payment=payment, **serializer.validated_data
        )
        return Response(RefundOutputSerializer(refund).data, status=201 if created else 200)
