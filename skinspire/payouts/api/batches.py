"""Batch payouts over the API: upload (validated, all or nothing), approve, reject, progress."""

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from skinspire.core.errors import ApplicationError
from skinspire.payouts import selectors
from skinspire.payouts.api import serializers as api
from skinspire.payouts.api.views import APPROVERS, PAYERS, READERS
from skinspire.payouts.models import PayoutBatch, SupplierPayment
from skinspire.payouts.services.batches import (
    batch_rows_read,
    payout_batch_approve,
    payout_batch_create,
    payout_batch_reject,
)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class StatusTotalOutput(serializers.Serializer):
    count = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)


class ProgressOutput(serializers.Serializer):
    rows = serializers.IntegerField()
    finished = serializers.IntegerField(help_text="Rows completed, failed, reversed, rejected or cancelled.")
    total_amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    by_status = serializers.DictField(child=StatusTotalOutput())
    phase = serializers.ChoiceField(
        choices=[
            "pending_approval",
            "rejected",
            "cancelled",
            "sending",
            "completed",
            "finished_with_failures",
        ],
        help_text="The batch's status until approved; then sending until every row has ended, "
        "then completed (every row) or finished_with_failures.",
    )


class BatchOutput(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username")
    approved_by = serializers.CharField(source="approved_by.username", default=None)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = PayoutBatch
        fields = [
            "id",
            "name",
            "file_name",
            "status",
            "created_by",
            "approved_by",
            "rejection_reason",
            "progress",
            "created_at",
        ]

    @extend_schema_field(ProgressOutput)
    def get_progress(self, batch) -> dict:
        return selectors.batch_progress(batch=batch)


class BatchRowOutput(serializers.ModelSerializer):
    row = serializers.IntegerField(source="batch_row")
    supplier = serializers.CharField(source="supplier.name")

    class Meta:
        model = SupplierPayment
        fields = [
            "id",
            "row",
            "reference",
            "supplier",
            "amount",
            "status",
            "utr",
            "failure_reason",
            "waiting_reason",
        ]


class BatchDetailOutput(BatchOutput):
    """One batch with its rows (the list leaves them out: a batch may have many)."""

    rows = serializers.SerializerMethodField()

    class Meta(BatchOutput.Meta):
        fields = [*BatchOutput.Meta.fields, "rows"]

    @extend_schema_field(BatchRowOutput(many=True))
    def get_rows(self, batch) -> list[dict]:
        return list(BatchRowOutput(selectors.batch_rows(batch=batch), many=True).data)


class BatchUploadInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV or Excel (.xlsx): supplier, account, amount, mode, invoices, reference."
    )
    name = serializers.CharField(max_length=120, required=False)


class BatchListView(ListAPIView):
    """Batches (GET); upload one (POST, multipart): every row is checked first, and a file
    with any wrong row creates nothing and answers 400 with `extra.rows` {row: [problems]}."""

    serializer_class = BatchOutput
    parser_classes = [MultiPartParser]

    def get_permissions(self):
        return [READERS() if self.request.method == "GET" else PAYERS()]

    def get_queryset(self):
        return selectors.batch_list(user=self.request.user)

    @extend_schema(request={"multipart/form-data": BatchUploadInput}, responses={201: BatchOutput})
    def post(self, request):
        serializer = BatchUploadInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ApplicationError("The file is larger than 2 MB.", {"fields": {"file": ["too_large"]}})
        if request.user.hospital is None:
            raise ApplicationError("Only staff of a hospital upload batches.")
        file_format = (upload.name or "").rsplit(".", 1)[-1].lower()
        rows = batch_rows_read(content=upload.read(), file_format=file_format)
        batch = payout_batch_create(
            hospital=request.user.hospital,
            maker=request.user,
            name=serializer.validated_data.get("name") or upload.name[:120],
            file_name=upload.name[:200],
            rows=rows,
        )
        return Response(BatchOutput(batch).data, status=status.HTTP_201_CREATED)


class BatchDetailView(APIView):
    """A batch, its progress (counts and amounts by status, rows finished, phase) and its rows."""

    permission_classes = [READERS]

    @extend_schema(responses=BatchDetailOutput)
    def get(self, request, batch_id: int):
        return Response(BatchDetailOutput(selectors.batch_get(user=request.user, batch_id=batch_id)).data)


class BatchApproveView(APIView):
    permission_classes = [APPROVERS]

    @extend_schema(request=None, responses=BatchOutput)
    def post(self, request, batch_id: int):
        batch = selectors.batch_get(user=request.user, batch_id=batch_id)
        payout_batch_approve(batch=batch, approver=request.user)
        return Response(BatchOutput(selectors.batch_get(user=request.user, batch_id=batch_id)).data)


class BatchRejectView(APIView):
    permission_classes = [APPROVERS]

    @extend_schema(request=api.ReasonInput, responses=BatchOutput)
    def post(self, request, batch_id: int):
        serializer = api.ReasonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        batch = selectors.batch_get(user=request.user, batch_id=batch_id)
        with transaction.atomic():
            payout_batch_reject(
                batch=batch, approver=request.user, reason=serializer.validated_data["reason"]
            )
        return Response(BatchOutput(selectors.batch_get(user=request.user, batch_id=batch_id)).data)
