"""Suppliers' accounts over the API: list (masked), add, change details, validate, approve."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from skinspire.payouts import selectors
from skinspire.payouts.api import serializers as api
from skinspire.payouts.api.views import APPROVERS, PAYERS, READERS
from skinspire.payouts.services.accounts import (
    supplier_account_approve,
    supplier_account_change_details,
    supplier_account_create,
)
from skinspire.payouts.services.validation import supplier_account_validate


class SupplierBankAccountsView(APIView):
    """The supplier's accounts, masked, with type (bank/upi) and verified flag."""

    def get_permissions(self):
        return [READERS() if self.request.method == "GET" else PAYERS()]

    @extend_schema(responses=api.AccountOutput(many=True))
    def get(self, request, supplier_id: int):
        accounts = selectors.supplier_account_list(user=request.user, supplier_id=supplier_id)
        return Response(api.AccountOutput(accounts, many=True).data)

    @extend_schema(request=api.AccountCreateInput, responses={201: api.AccountOutput})
    def post(self, request, supplier_id: int):
        serializer = api.AccountCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        supplier = selectors.supplier_get(user=request.user, supplier_id=supplier_id)
        account = supplier_account_create(
            supplier=supplier,
            kind=data["type"],
            holder_name=data["holder_name"],
            account_number=data.get("account_number", ""),
            ifsc=data.get("ifsc", ""),
            vpa=data.get("vpa", ""),
            actor=request.user,
        )
        return Response(api.AccountOutput(account).data, status=status.HTTP_201_CREATED)


class AccountDetailsView(APIView):
    """New details for an account: it then needs a Payment approver's approval and waits
    its cooling-off period before it can be paid."""

    permission_classes = [PAYERS]

    @extend_schema(request=api.AccountDetailsInput, responses=api.AccountOutput)
    def post(self, request, account_id: int):
        serializer = api.AccountDetailsInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        account = selectors.supplier_account_get(user=request.user, account_id=account_id)
        account = supplier_account_change_details(
            account=account,
            holder_name=data["holder_name"],
            account_number=data.get("account_number", ""),
            ifsc=data.get("ifsc", ""),
            vpa=data.get("vpa", ""),
            actor=request.user,
        )
        return Response(api.AccountOutput(account).data)


class AccountValidateView(APIView):
    """Start a penny drop (bank) or VPA check (UPI) at the gateway; the result follows."""

    permission_classes = [PAYERS]

    @extend_schema(request=None, responses={202: api.AccountOutput})
    def post(self, request, account_id: int):
        account = selectors.supplier_account_get(user=request.user, account_id=account_id)
        account = supplier_account_validate(account=account, actor=request.user)
        return Response(api.AccountOutput(account).data, status=status.HTTP_202_ACCEPTED)


class AccountApproveView(APIView):
    permission_classes = [APPROVERS]

    @extend_schema(request=None, responses=api.AccountOutput)
    def post(self, request, account_id: int):
        account = selectors.supplier_account_get(user=request.user, account_id=account_id)
        return Response(
            api.AccountOutput(supplier_account_approve(account=account, approver=request.user)).data
        )
