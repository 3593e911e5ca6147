"""Payouts API: one thin view per operation (input serializer -> service -> output serializer).

Reads: Payments staff, Payment approvers, Accountants. Paying: Payments staff. Approving:
Payment approvers. Everything is scoped to the user's hospital: another hospital's ids 404.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from skinspire.core.api import filter_choice
from skinspire.core.audit import audited_atomic
from skinspire.core.permissions import HasRole
from skinspire.core.roles import ROLE_ACCOUNTANT, ROLE_PAYMENT_APPROVER, ROLE_PAYMENTS_STAFF
from skinspire.payouts import selectors
from skinspire.payouts.api import serializers as api
from skinspire.payouts.models import PaymentMethod, Supplier, SupplierPayment, TransferMode
from skinspire.payouts.services.allocations import AllocationRequest
from skinspire.payouts.services.approvals import (
    supplier_payment_approve,
    supplier_payment_cancel,
    supplier_payment_reject,
    supplier_payment_submit,
)
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.services.submission import supplier_payment_status_sync

READERS = HasRole(ROLE_PAYMENTS_STAFF, ROLE_PAYMENT_APPROVER, ROLE_ACCOUNTANT)
PAYERS = HasRole(ROLE_PAYMENTS_STAFF)
APPROVERS = HasRole(ROLE_PAYMENT_APPROVER)
CHECKERS = HasRole(ROLE_PAYMENTS_STAFF, ROLE_PAYMENT_APPROVER)

INITIATE_EXAMPLE = OpenApiExample(
    "Split IMPS payout",
    value={
        "supplier_id": 7,
        "account_id": 12,
        "amount": "15000.00",
        "mode": "imps",
        "invoices": [{"invoice_id": 31, "amount": "10000.00"}, {"invoice_id": 32, "amount": "5000.00"}],
        "idempotency_key": "4f9c2b1e-inv31-32",
    },
    request_only=True,
)


class PaymentCreateMixin:
    def _create(self, request, data: dict, *, supplier: Supplier | None = None, **fields) -> Response:
        if supplier is None:
            supplier = selectors.supplier_get(user=request.user, supplier_id=data["supplier_id"])
        shares = [AllocationRequest(item["invoice_id"], item["amount"]) for item in data.get("invoices", [])]
        payment_request = PaymentRequest(
            supplier=supplier,
            amount=data["amount"],
            mode=data["mode"],
            invoices=shares,
            idempotency_key=data.get("idempotency_key", ""),
            **fields,
        )
        # The audit entries of create and submit join the hospital's chain at the commit, so
        # the chain's lock is not held through the rest of the request (core/audit/deferred.py).
        with audited_atomic():
            payment, created = supplier_payment_create(request=payment_request, maker=request.user)
            if created:
                supplier_payment_submit(payment=payment, actor=request.user)
        payment = selectors.payment_get(user=request.user, payment_id=payment.pk)
        return Response(
            api.PaymentOutput(payment, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class InitiatePayoutView(PaymentCreateMixin, APIView):
    """Pay a supplier through a gateway (UPI, IMPS, NEFT, RTGS). The same idempotency_key
    again returns the first payment (200). At or above the hospital's approval threshold the
    payment waits for a Payment approver; below it, it goes to the gateway at once."""

    permission_classes = [PAYERS]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "payouts"

    @extend_schema(
        request=api.InitiatePayoutInput,
        responses={201: api.PaymentOutput, 200: api.PaymentOutput},
        examples=[INITIATE_EXAMPLE],
    )
    def post(self, request):
        serializer = api.InitiatePayoutInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        account = selectors.supplier_account_get(user=request.user, account_id=data["account_id"])
        return self._create(
            request,
            data,
            supplier=selectors.account_supplier_in_scope(account=account, supplier_id=data["supplier_id"]),
            method=PaymentMethod.GATEWAY_PAYOUT,
            account=account,
            provider=data.get("provider", ""),
        )


class ManualPaymentView(PaymentCreateMixin, APIView):
    """Record a payment made by hand (cash, cheque, bank transfer); approved like any other."""

    permission_classes = [PAYERS]

    @extend_schema(request=api.ManualPaymentInput, responses={201: api.PaymentOutput, 200: api.PaymentOutput})
    def post(self, request):
        serializer = api.ManualPaymentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return self._create(
            request, data, method=PaymentMethod.MANUAL, manual_reference=data.get("manual_reference", "")
        )


class CheckStatusView(APIView):
    """Ask the gateway now, apply its answer, and return the payment."""

    permission_classes = [CHECKERS]

    @extend_schema(request=None, responses=api.PaymentDetailOutput)
    def get(self, request, payment_id: int):
        payment = selectors.payment_get(user=request.user, payment_id=payment_id)
        supplier_payment_status_sync(payment_id=payment.pk)
        payment = selectors.payment_get(user=request.user, payment_id=payment_id)
        return Response(api.PaymentDetailOutput(payment, context={"request": request}).data)


class PaymentFilterInput(serializers.Serializer):
    status = filter_choice(SupplierPayment.state_machine.choices)
    method = filter_choice(PaymentMethod.choices)
    mode = filter_choice(TransferMode.choices)
    supplier_id = serializers.IntegerField(required=False, min_value=1, max_value=2**62)


class PaymentListView(ListAPIView):
    """Supplier payments, newest first; filter by status, method, mode, supplier_id."""

    permission_classes = [READERS]
    serializer_class = api.PaymentOutput

    @extend_schema(parameters=[PaymentFilterInput])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = PaymentFilterInput(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.payment_list(user=self.request.user, filters=filters.validated_data)


class PaymentDetailView(APIView):
    """One payment with its allocations and its status history (who, when, why, which event)."""

    permission_classes = [READERS]

    @extend_schema(responses=api.PaymentDetailOutput)
    def get(self, request, payment_id: int):
        payment = selectors.payment_get(user=request.user, payment_id=payment_id)
        return Response(api.PaymentDetailOutput(payment, context={"request": request}).data)


class PaymentApproveView(APIView):
    permission_classes = [APPROVERS]

    @extend_schema(request=None, responses=api.PaymentOutput)
    def post(self, request, payment_id: int):
        payment = selectors.payment_get(user=request.user, payment_id=payment_id)
        supplier_payment_approve(payment=payment, approver=request.user)
        return Response(
            api.PaymentOutput(
                selectors.payment_get(user=request.user, payment_id=payment_id), context={"request": request}
            ).data
        )


class PaymentRejectView(APIView):
    permission_classes = [APPROVERS]

    @extend_schema(request=api.ReasonInput, responses=api.PaymentOutput)
    def post(self, request, payment_id: int):
        serializer = api.ReasonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = selectors.payment_get(user=request.user, payment_id=payment_id)
        supplier_payment_reject(
            payment=payment, approver=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(
            api.PaymentOutput(
                selectors.payment_get(user=request.user, payment_id=payment_id), context={"request": request}
            ).data
        )


class PaymentCancelView(APIView):
    permission_classes = [PAYERS]

    @extend_schema(request=api.ReasonInput, responses=api.PaymentOutput)
    def post(self, request, payment_id: int):
        serializer = api.ReasonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = selectors.payment_get(user=request.user, payment_id=payment_id)
        supplier_payment_cancel(
            payment=payment, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(
            api.PaymentOutput(
                selectors.payment_get(user=request.user, payment_id=payment_id), context={"request": request}
            ).data
        )
