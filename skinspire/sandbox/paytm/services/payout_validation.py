"""Validation of a bank/UPI transfer request, with the payouts API's codes (reference §1.4)."""

import re
from dataclasses import dataclass
from decimal import Decimal

from skinspire.core.money import MoneyError, to_rupees
from skinspire.sandbox.models import SandboxMerchant
from skinspire.sandbox.paytm.errors import PaytmRejected

PURPOSES = {"SALARY_DISBURSEMENT", "REIMBURSEMENT", "BONUS", "INCENTIVE", "OTHERS"}
DATED_PURPOSES = {"SALARY_DISBURSEMENT", "REIMBURSEMENT"}
TRANSFER_MODES = {"IMPS", "NEFT", "RTGS", "UPI"}
MAXIMUM_AMOUNT = Decimal("20000000.00")  # 2 crore (current bank-transfer doc)
ORDER_ID = re.compile(r"^[A-Za-z0-9@._-]+$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
VPA = re.compile(r"^[A-Za-z0-9.\-_]{2,256}@[A-Za-z]{2,64}$")
IFSC = re.compile(r"^[A-Z]{4}0[A-Z0-9]{6}$")

MISSING = ("DE_010", "Mandatory parameter is missing or blank")
INVALID = ("DE_011", "Invalid parameter value")
BAD_AMOUNT = ("DE_012", "Amount should be positive and can have at most 2 decimal places")
BAD_LENGTH = ("DE_013", "Invalid parameter length")
BAD_PPBL_ACCOUNT = ("DE_014", "Paytm Payments Bank account number should be 12 digits starting with 91")
BAD_PURPOSE = ("DE_015", "Purpose is not valid")
UNKNOWN_SUBWALLET = ("DE_1003", "Sub wallet not found")


@dataclass(frozen=True)
class Transfer:
    order_id: str
    amount: Decimal
    transfer_mode: str
    account: str
    vpa: str
    beneficiary_name: str
    callback_url: str


def _text(body: dict, key: str) -> str:
    value = body.get(key)
    return value.strip() if isinstance(value, str) else ""


def _amount(body: dict) -> Decimal:
    try:
        amount = to_rupees(body["amount"]) if isinstance(body.get("amount"), str) else None
    except MoneyError:
        amount = None
    if amount is None or not Decimal("1.00") <= amount <= MAXIMUM_AMOUNT:
        raise PaytmRejected(*BAD_AMOUNT)
    return amount


def _beneficiary(body: dict, mode: str) -> tuple[str, str]:
    if mode == "UPI":
        vpa = _text(body, "beneficiaryVPA")
        if not vpa:
            raise PaytmRejected(*MISSING)
        if not VPA.match(vpa):
            raise PaytmRejected(*INVALID)
        return "", vpa
    account, ifsc = _text(body, "beneficiaryAccount"), _text(body, "beneficiaryIFSC")
    if not account or not ifsc or (mode == "NEFT" and not _text(body, "beneficiaryName")):
        raise PaytmRejected(*MISSING)
    if not account.isdigit() or not 9 <= len(account) <= 18 or not IFSC.match(ifsc):
        raise PaytmRejected(*INVALID)
    if ifsc.startswith("PYTM") and not (len(account) == 12 and account.startswith("91")):
        raise PaytmRejected(*BAD_PPBL_ACCOUNT)
    return account, ""


def transfer_from(*, merchant: SandboxMerchant, body: dict) -> Transfer:
    for key in ("orderId", "subwalletGuid", "amount", "purpose"):
        if not _text(body, key):
            raise PaytmRejected(*MISSING)
    order_id, purpose = _text(body, "orderId"), _text(body, "purpose")
    if len(order_id) > 50 or len(_text(body, "comments")) > 50 or len(_text(body, "callbackUrl")) > 255:
        raise PaytmRejected(*BAD_LENGTH)
    if not ORDER_ID.match(order_id):
        raise PaytmRejected(*INVALID)
    if purpose not in PURPOSES:
        raise PaytmRejected(*BAD_PURPOSE)
    if purpose in DATED_PURPOSES and not DATE.match(_text(body, "date")):
        raise PaytmRejected(*MISSING)
    if _text(body, "subwalletGuid") != merchant.account_number:
        raise PaytmRejected(*UNKNOWN_SUBWALLET)
    mode = _text(body, "transferMode").upper() or "IMPS"
    if mode not in TRANSFER_MODES:
        raise PaytmRejected(*INVALID)
    amount = _amount(body)
    account, vpa = _beneficiary(body, mode)
    return Transfer(
        order_id=order_id,
        amount=amount,
        transfer_mode=mode,
        account=account,
        vpa=vpa,
        beneficiary_name=_text(body, "beneficiaryName"),
        callback_url=_text(body, "callbackUrl"),
    )
