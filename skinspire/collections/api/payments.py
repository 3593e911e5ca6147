"""Patient payments: list, read, and record a counter collection (cash, cheque, card swipe)."""

from decimal import Decimal

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from skinspire.collections import selectors
from skinspire.collections.api.bills import READERS, WRITERS
from skinspire.collections.models import ManualMethod
from skinspire.collections.services.payments import patient_payment_manual_record_once
from skinspire.core.api import AmountField

MAX_ID = 2**63 - 1


class PatientPaymentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    bill_id = serializers.IntegerField()
    bill_number = serializers.CharField(source="bill.number")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount_refunded = serializers.DecimalField(max_digits=12, decimal_places=2)
    category = serializers.CharField()
    # DRF's serializer metaclass takes declared fields off the class, so this does not
    # replace Field.source; the stubs cannot say so.
    source = serializers.CharField()  # type: ignore[assignment]
    method = serializers.CharField()
    status = serializers.CharField()
    gateway_order_id = serializers.CharField()
    gateway_payment_id = serializers.CharField()
    bank_transaction_id = serializers.CharField()
    fee = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    tax = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    failure_reason = serializers.CharField()
    captured_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class PatientManualPaymentInputSerializer(serializers.Serializer):
    bill_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    amount = AmountField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    method = serializers.ChoiceField(choices=ManualMethod.choices)
    instrument_reference = serializers.CharField(max_length=64, required=False, default="")
    notes = serializers.CharField(max_length=500, required=False, default="")
    idempotency_key = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=False,
        help_text="Yours, unique in the hospital: the same key again returns the first payment (200).",
    )


class PatientPaymentPagination(LimitOffsetPagination):
    max_limit = 200


class PatientPaymentListApi(APIView):
    """`GET /api/patient-payments`: payments of your branches, newest first (`?bill_id=` narrows).
    `count` is exact, unlike the capped counts of admin and the workspace (docs/collections.md)."""

    permission_classes = [READERS]

    class FilterSerializer(serializers.Serializer):
        bill_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)

    @extend_schema(
        operation_id="patient_payment_list",
        parameters=[OpenApiParameter("bill_id", int, required=False)],
        responses=PatientPaymentOutputSerializer(many=True),
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        payments = selectors.patient_payment_list(
            user=request.user, bill_id=filters.validated_data.get("bill_id")
        )
        paginator = PatientPaymentPagination()
        page = paginator.paginate_queryset(payments, request, view=self)
        return paginator.get_paginated_response(PatientPaymentOutputSerializer(page, many=True).data)


class PatientPaymentDetailApi(APIView):
    """`GET /api/patient-payments/<id>`."""

    permission_classes = [READERS]

    @extend_schema(operation_id="patient_payment_retrieve", responses=PatientPaymentOutputSerializer)
    def get(self, request, payment_id: int):
        payment = selectors.patient_payment_get(user=request.user, payment_id=payment_id)
        return Response(PatientPaymentOutputSerializer(payment).data)


class ManualPaymentCreateApi(APIView):
    """`POST /api/patient-payments/manual`: money taken at the counter, received at once. The
    same idempotency_key again returns the first payment (200); with another bill, amount or
    method it is a 409."""

    permission_classes = [WRITERS]

    @extend_schema(
        operation_id="patient_payment_manual_create",
        request=PatientManualPaymentInputSerializer,
        responses={201: PatientPaymentOutputSerializer, 200: PatientPaymentOutputSerializer},
    )
    def post(self, request):
        serializer = PatientManualPaymentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        bill = selectors.bill_get(user=request.user, bill_id=data.pop("bill_id"))
        payment, created = patient_payment_manual_record_once(actor=request.user, bill=bill, **data)
        return Response(
            PatientPaymentOutputSerializer(payment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
