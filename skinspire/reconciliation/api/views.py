"""Read-only API for accountants: runs and discrepancies of their hospital (DESIGN: list and
detail endpoints for reconciliation runs follow REST conventions under /api/)."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from skinspire.core.api import filter_choice
from skinspire.core.permissions import HasRole
from skinspire.core.roles import ROLE_ACCOUNTANT
from skinspire.reconciliation import selectors
from skinspire.reconciliation.models import Discrepancy, ReconciliationRun

ACCOUNTANTS = HasRole(ROLE_ACCOUNTANT)
MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class RunOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    run_date = serializers.DateField()
    configuration_id = serializers.IntegerField()
    provider = serializers.CharField(source="configuration.provider")
    status = serializers.CharField()
    trigger = serializers.CharField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    error_message = serializers.CharField()
    gateway_row_count = serializers.IntegerField()
    system_row_count = serializers.IntegerField()
    category_counts = serializers.DictField(child=serializers.IntegerField())
    matched_count = serializers.IntegerField()
    discrepancy_count = serializers.IntegerField()
    match_rate = serializers.DecimalField(max_digits=5, decimal_places=4)
    gross = serializers.DecimalField(**MONEY)
    fees = serializers.DecimalField(**MONEY)
    tax = serializers.DecimalField(**MONEY)
    net = serializers.DecimalField(**MONEY)


class DiscrepancyOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    run_date = serializers.DateField()
    configuration_id = serializers.IntegerField()
    category = serializers.CharField()
    status = serializers.CharField()
    gateway_keys = serializers.ListField(child=serializers.CharField())
    system_keys = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField()
    amount_difference = serializers.DecimalField(**MONEY)
    resolution = serializers.CharField()
    resolution_note = serializers.CharField()
    resolved_at = serializers.DateTimeField(allow_null=True)


class Pagination(LimitOffsetPagination):
    max_limit = 200


def _paged(view, request, queryset, serializer_class):
    paginator = Pagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


class RunListApi(APIView):
    """`GET /api/reconciliation/runs`: your hospital's runs, newest date first."""

    permission_classes = [ACCOUNTANTS]

    class FilterSerializer(serializers.Serializer):
        run_date = serializers.DateField(required=False)
        status = filter_choice(ReconciliationRun.state_machine.choices)

    @extend_schema(
        operation_id="reconciliation_run_list",
        parameters=[
            OpenApiParameter("run_date", str, required=False),
            OpenApiParameter("status", str, required=False),
        ],
        responses=RunOutputSerializer(many=True),
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        runs = selectors.run_list(user=request.user, **filters.validated_data)
        return _paged(self, request, runs, RunOutputSerializer)


class RunDetailApi(APIView):
    """`GET /api/reconciliation/runs/<id>`."""

    permission_classes = [ACCOUNTANTS]

    @extend_schema(operation_id="reconciliation_run_retrieve", responses=RunOutputSerializer)
    def get(self, request, run_id: int):
        return Response(RunOutputSerializer(selectors.run_get(user=request.user, run_id=run_id)).data)


class DiscrepancyListApi(APIView):
    """`GET /api/reconciliation/discrepancies`: your hospital's, `?status=open` for the open ones."""

    permission_classes = [ACCOUNTANTS]

    class FilterSerializer(serializers.Serializer):
        status = filter_choice(Discrepancy.state_machine.choices)
        category = filter_choice(Discrepancy._meta.get_field("category").choices or [])

    @extend_schema(
        operation_id="reconciliation_discrepancy_list",
        parameters=[
            OpenApiParameter("status", str, required=False),
            OpenApiParameter("category", str, required=False),
        ],
        responses=DiscrepancyOutputSerializer(many=True),
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        discrepancies = selectors.discrepancy_list(user=request.user, **filters.validated_data)
        return _paged(self, request, discrepancies, DiscrepancyOutputSerializer)
