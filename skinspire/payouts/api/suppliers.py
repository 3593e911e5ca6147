"""Suppliers and their invoices over the API; the fee preview; retrying a failed payout."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from skinspire.core.api import AmountField
from skinspire.core.errors import ApplicationError
from skinspire.gateways.manager import select_configurations
from skinspire.gateways.models import Capability
from skinspire.gateways.providers.schemas import provider_choices
from skinspire.payouts import selectors
from skinspire.payouts.api import serializers as api
from skinspire.payouts.api.views import PAYERS, READERS
from skinspire.payouts.fees import fee_preview
from skinspire.payouts.limits import check_mode_limit
from skinspire.payouts.models import Supplier, SupplierInvoice
from skinspire.payouts.services.retry import supplier_payment_retry
from skinspire.payouts.services.suppliers import supplier_create, supplier_invoice_create


class SupplierOutput(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = ["id", "name", "email", "phone", "gstin", "is_active"]


class SupplierInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.RegexField(r"^\+?[0-9]{8,15}$", required=False, allow_blank=True)
    gstin = serializers.RegexField(r"^[0-9]{2}[A-Z0-9]{13}$", required=False, allow_blank=True)


class InvoiceOutput(serializers.ModelSerializer):
    amount_open = serializers.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        model = SupplierInvoice
        fields = [
            "id",
            "number",
            "invoice_date",
            "amount",
            "amount_allocated",
            "amount_paid",
            "amount_open",
            "status",
        ]


class InvoiceInput(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    invoice_date = serializers.DateField()
    amount = AmountField(**api.AMOUNT)


class SupplierListView(ListAPIView):
    """The hospital's suppliers (GET); add one (POST, Payments staff)."""

    serializer_class = SupplierOutput

    def get_permissions(self):
        return [READERS() if self.request.method == "GET" else PAYERS()]

    def get_queryset(self):
        return selectors.supplier_list(user=self.request.user)

    @extend_schema(request=SupplierInput, responses={201: SupplierOutput})
    def post(self, request):
        serializer = SupplierInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        if request.user.hospital is None:
            raise ApplicationError("Only staff of a hospital add suppliers.")
        supplier = supplier_create(
            hospital=request.user.hospital, actor=request.user, **serializer.validated_data
        )
        return Response(SupplierOutput(supplier).data, status=status.HTTP_201_CREATED)


class SupplierInvoicesView(APIView):
    """A supplier's invoices with what is open on each (GET); record one (POST)."""

    def get_permissions(self):
        return [READERS() if self.request.method == "GET" else PAYERS()]

    @extend_schema(responses=InvoiceOutput(many=True))
    def get(self, request, supplier_id: int):
        return Response(
            InvoiceOutput(
                selectors.supplier_invoice_list(user=request.user, supplier_id=supplier_id), many=True
            ).data
        )

    @extend_schema(request=InvoiceInput, responses={201: InvoiceOutput})
    def post(self, request, supplier_id: int):
        serializer = InvoiceInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        supplier = selectors.supplier_get(user=request.user, supplier_id=supplier_id)
        invoice = supplier_invoice_create(supplier=supplier, actor=request.user, **serializer.validated_data)
        return Response(InvoiceOutput(invoice).data, status=status.HTTP_201_CREATED)


class FeePreviewInput(serializers.Serializer):
    amount = AmountField(**api.AMOUNT)
    mode = serializers.ChoiceField(choices=api.GATEWAY_MODE_CHOICES)
    provider = serializers.ChoiceField(choices=provider_choices(), required=False)


class FeePreviewOutput(serializers.Serializer):
    gateway = serializers.CharField()
    fee = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="Including GST.")
    gst = serializers.DecimalField(max_digits=12, decimal_places=2)
    supplier_receives = serializers.DecimalField(max_digits=14, decimal_places=2)
    total_debit = serializers.DecimalField(max_digits=14, decimal_places=2)


class FeePreviewView(APIView):
    """What a payout would cost, at the gateway it would go to, before it is made."""

    permission_classes = [PAYERS]

    @extend_schema(request=FeePreviewInput, responses=FeePreviewOutput)
    def post(self, request):
        serializer = FeePreviewInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        check_mode_limit(mode=data["mode"], amount=data["amount"])
        if request.user.hospital is None:
            raise ApplicationError("Only staff of a hospital have gateways to preview.")
        candidates = select_configurations(
            hospital=request.user.hospital,
            capability=Capability.PAYOUTS,
            provider=data.get("provider") or None,
        )
        preview = fee_preview(provider=candidates[0].provider, mode=data["mode"], amount=data["amount"])
        output = {"gateway": candidates[0].provider, "fee": preview.fee, "gst": preview.tax}
        output.update(supplier_receives=preview.supplier_receives, total_debit=preview.total_debit)
        return Response(FeePreviewOutput(output).data)


class PaymentRetryView(APIView):
    """Retry a failed gateway payout as a new payment (asking twice returns the same retry)."""

    permission_classes = [PAYERS]

    @extend_schema(request=None, responses={201: api.PaymentOutput})
    def post(self, request, payment_id: int):
        payment = selectors.payment_get(user=request.user, payment_id=payment_id)
        with transaction.atomic():
            retry = supplier_payment_retry(payment=payment, actor=request.user)
        retry = selectors.payment_get(user=request.user, payment_id=retry.pk)
        return Response(
            api.PaymentOutput(retry, context={"request": request}).data, status=status.HTTP_201_CREATED
        )
