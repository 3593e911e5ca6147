"""Bills, pushed by the hospital's billing system: list, read, create, update."""

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from skinspire.collections import selectors
from skinspire.collections.models import BillCategory
from skinspire.collections.services.bills import bill_create, bill_update, patient_upsert
from skinspire.core.api import AmountField
from skinspire.core.models import Branch
from skinspire.core.permissions import HasRole
from skinspire.core.roles import ROLE_ACCOUNTANT, ROLE_PAYMENTS_STAFF
from skinspire.core.tenancy import user_branches

READERS = HasRole(ROLE_PAYMENTS_STAFF, ROLE_ACCOUNTANT)
WRITERS = HasRole(ROLE_PAYMENTS_STAFF)
AMOUNT: dict[str, Any] = {
    "max_digits": 12,
    "decimal_places": 2,
    "min_value": Decimal("0.01"),
    "coerce_to_string": True,
}


class PatientSerializer(serializers.Serializer):
    patient_number = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    phone = serializers.RegexField(r"^\+?[0-9]{6,15}$", max_length=20, required=False, default="")
    email = serializers.EmailField(max_length=254, required=False, default="")


class PatientOutputSerializer(PatientSerializer):
    id = serializers.IntegerField()


class BillOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    branch_id = serializers.IntegerField()
    patient = PatientOutputSerializer()
    category = serializers.ChoiceField(choices=BillCategory.choices)
    description = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount_paid = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount_open = serializers.DecimalField(max_digits=12, decimal_places=2)
    status = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class BillCreateInputSerializer(serializers.Serializer):
    number = serializers.RegexField(r"^[A-Za-z0-9][A-Za-z0-9/_.-]*$", max_length=40)
    branch_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    patient = PatientSerializer()
    category = serializers.ChoiceField(choices=BillCategory.choices)
    description = serializers.CharField(max_length=200, required=False, default="")
    amount = AmountField(**AMOUNT)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_branch_id(self, value: int) -> Branch:
        branch = user_branches(self.context["request"].user).filter(pk=value).first()
        if branch is None:
            raise serializers.ValidationError("No such branch among yours.")
        return branch


class BillUpdateInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=BillCategory.choices, required=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    amount = AmountField(**AMOUNT, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)


class BillPagination(LimitOffsetPagination):
    max_limit = 200


class BillListCreateApi(APIView):
    """`GET /api/bills`: the bills of your branches, newest first. `POST`: a new bill from the
    billing system (its patient created or updated by patient number)."""

    def get_permissions(self):
        return [(READERS if self.request.method == "GET" else WRITERS)()]

    @extend_schema(operation_id="bill_list", responses=BillOutputSerializer(many=True))
    def get(self, request):
        paginator = BillPagination()
        page = paginator.paginate_queryset(selectors.bill_list(user=request.user), request, view=self)
        return paginator.get_paginated_response(BillOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="bill_create", request=BillCreateInputSerializer, responses={201: BillOutputSerializer}
    )
    def post(self, request):
        serializer = BillCreateInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        branch = data["branch_id"]
        patient = patient_upsert(hospital=branch.hospital, **data["patient"])
        bill = bill_create(
            actor=request.user,
            branch=branch,
            patient=patient,
            number=data["number"],
            category=data["category"],
            amount=data["amount"],
            due_date=data["due_date"],
            description=data["description"],
        )
        return Response(BillOutputSerializer(bill).data, status=status.HTTP_201_CREATED)


class BillDetailApi(APIView):
    """`GET /api/bills/<id>`: one bill. `PATCH`: change its category, description, amount or due date."""

    def get_permissions(self):
        return [(READERS if self.request.method == "GET" else WRITERS)()]

    @extend_schema(operation_id="bill_retrieve", responses=BillOutputSerializer)
    def get(self, request, bill_id: int):
        return Response(BillOutputSerializer(selectors.bill_get(user=request.user, bill_id=bill_id)).data)

    @extend_schema(
        operation_id="bill_update", request=BillUpdateInputSerializer, responses=BillOutputSerializer
    )
    def patch(self, request, bill_id: int):
        bill = selectors.bill_get(user=request.user, bill_id=bill_id)
        serializer = BillUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = bill_update(actor=request.user, bill=bill, **serializer.validated_data)
        updated.patient = bill.patient
        return Response(BillOutputSerializer(updated).data)
