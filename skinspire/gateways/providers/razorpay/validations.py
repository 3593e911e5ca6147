"""RazorpayX fund account validation: penny drop / VPA check (reference §2.8).

https://razorpay.com/docs/api/x/account-validation/ — POST /v1/fund_accounts/validations
starts it (`created`); it ends `completed` (results.account_status active / invalid, with the
registered name) or `failed`, read back with GET /v1/fund_accounts/validations/:id.
"""

from typing import Any

from skinspire.gateways.providers.interface import (
    FundAccountValidationRequest,
    FundAccountValidationResult,
)
from skinspire.gateways.providers.razorpay.client import RazorpayBase


def validation_result(answer: dict[str, Any]) -> FundAccountValidationResult:
    results = answer.get("results") or {}
    return FundAccountValidationResult(
        validation_id=str(answer["id"]),
        status=str(answer.get("status") or ""),
        account_status=str(results.get("account_status") or ""),
        registered_name=str(results.get("registered_name") or ""),
        utr=str(answer.get("utr") or ""),
        raw=answer,
    )


class ValidationOperations(RazorpayBase):
    def validate_fund_account(self, request: FundAccountValidationRequest) -> FundAccountValidationResult:
        body: dict[str, Any] = {
            "account_number": self.account_number(),
            "fund_account": {"id": request.fund_account_id},
            "currency": "INR",
        }
        if request.reference_id:
            body["notes"] = {"reference_id": request.reference_id[:40]}
        answer = self.call(
            "validate_fund_account",
            self.payout_client.post,
            "/v1/fund_accounts/validations",
            body,
            object_ref=f"fund_account:{request.fund_account_id}",
        )
        return validation_result(answer)

    def fetch_fund_account_validation(self, validation_id: str) -> FundAccountValidationResult:
        answer = self.call(
            "fetch_fund_account_validation",
            self.payout_client.get,
            f"/v1/fund_accounts/validations/{validation_id}",
            {},
            object_ref=f"validation:{validation_id}",
        )
        return validation_result(answer)
