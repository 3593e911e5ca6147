"""RazorpayX contacts and fund accounts (reference §2.1, §2.2), deduplicated as Razorpay does."""

import re

from skinspire.sandbox.ids import object_id_new
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay import validation
from skinspire.sandbox.razorpay.errors import payout_invalid_field
from skinspire.sandbox.razorpay.services.common import now_unix, object_or_error
from skinspire.sandbox.services import sandbox_object_create

NAME_PATTERN = re.compile(r"^[a-zA-Z0-9 ’'\-_/().]+$")
IFSC_PATTERN = re.compile(r"^[A-Z]{4}0[A-Z0-9]{6}$")
ACCOUNT_NUMBER_PATTERN = re.compile(r"^[A-Za-z0-9]{5,35}$")
VPA_PATTERN = re.compile(r"^[a-zA-Z0-9.\-]+@[a-zA-Z0-9.\-]+$")
CONTACT_TYPES = {"vendor", "customer", "employee", "self"}
# The bank names the sandbox knows by IFSC prefix; others show the prefix itself.
# https://razorpay.com/docs/api/x/contacts/create/ and .../fund-accounts/create/bank-account/
CONTACT_FIELDS = frozenset({"name", "email", "contact", "type", "reference_id", "notes"})
FUND_ACCOUNT_FIELDS = frozenset({"contact_id", "account_type", "bank_account", "vpa"})
BANK_NAMES = {"HDFC": "HDFC Bank", "ICIC": "ICICI Bank", "SBIN": "State Bank of India", "UTIB": "Axis Bank"}


def _name(value, *, field: str, max_length: int) -> str:
    if not isinstance(value, str) or not value:
        raise payout_invalid_field(f"The {field} field is required.", field=field)
    if not 3 <= len(value) <= max_length:
        raise payout_invalid_field(f"The {field} must be between 3 and {max_length} characters.", field=field)
    if not NAME_PATTERN.match(value) or (not value[-1].isalnum() and value[-1] != "."):
        raise payout_invalid_field(f"The {field} format is invalid.", field=field)
    return value


def contact_create(*, merchant: SandboxMerchant, data: dict) -> SandboxObject:
    validation.fields_allowed(data, CONTACT_FIELDS, error=payout_invalid_field)
    fields = {
        "name": _name(data.get("name"), field="name", max_length=50),
        "contact": validation.string_optional(data, "contact", max_length=255, error=payout_invalid_field)
        or None,
        "email": validation.string_optional(data, "email", max_length=255, error=payout_invalid_field)
        or None,
        "type": validation.string_optional(data, "type", max_length=40, error=payout_invalid_field),
        "reference_id": validation.string_optional(
            data, "reference_id", max_length=40, error=payout_invalid_field
        ),
    }
    if fields["type"] and fields["type"] not in CONTACT_TYPES:
        raise payout_invalid_field("Invalid type: " + fields["type"], field="type")
    for existing in SandboxObject.objects.filter(
        merchant=merchant, entity="contact", body__name=fields["name"]
    ):
        if all(existing.body.get(key) == value for key, value in fields.items()):
            return existing  # Razorpay returns the existing contact for an exact duplicate
    body = {
        "id": object_id_new(prefix="cont"),
        "entity": "contact",
        **fields,
        "batch_id": None,
        "active": True,
        "notes": validation.notes_optional(data, error=payout_invalid_field),
        "created_at": now_unix(),
    }
    return sandbox_object_create(merchant=merchant, entity="contact", body=body)


def fund_account_create(*, merchant: SandboxMerchant, data: dict) -> SandboxObject:
    validation.fields_allowed(data, FUND_ACCOUNT_FIELDS, error=payout_invalid_field)
    contact_id = data.get("contact_id")
    if not contact_id:
        raise payout_invalid_field("The contact id field is required.", field="contact_id")
    object_or_error(merchant=merchant, entity="contact", object_id=contact_id)
    account_type = data.get("account_type")
    if account_type == "bank_account":
        details = {"bank_account": _bank_account(data.get("bank_account"))}
    elif account_type == "vpa":
        details = {"vpa": _vpa(data.get("vpa"))}
    else:
        raise payout_invalid_field("The selected account type is invalid.", field="account_type")
    for existing in SandboxObject.objects.filter(
        merchant=merchant, entity="fund_account", parent_id=contact_id
    ):
        if _same_destination(existing.body, account_type, details):
            return existing
    body = {
        "id": object_id_new(prefix="fa"),
        "entity": "fund_account",
        "contact_id": contact_id,
        "account_type": account_type,
        **details,
        "batch_id": None,
        "active": True,
        "created_at": now_unix(),
    }
    return sandbox_object_create(merchant=merchant, entity="fund_account", body=body, parent_id=contact_id)


def _bank_account(value) -> dict:
    if not isinstance(value, dict):
        raise payout_invalid_field("The bank account field is required.", field="bank_account")
    name = _name(value.get("name"), field="name", max_length=120)
    ifsc = value.get("ifsc") or ""
    if not isinstance(ifsc, str) or not IFSC_PATTERN.match(ifsc):
        raise payout_invalid_field("The ifsc must be 11 characters.", field="ifsc")
    account_number = str(value.get("account_number") or "")
    if not ACCOUNT_NUMBER_PATTERN.match(account_number):
        raise payout_invalid_field("The account number format is invalid.", field="account_number")
    return {
        "ifsc": ifsc,
        "bank_name": BANK_NAMES.get(ifsc[:4], ifsc[:4]),
        "name": name,
        "account_number": account_number,
        "notes": [],
    }


def _vpa(value) -> dict:
    address = value.get("address") if isinstance(value, dict) else None
    if not isinstance(address, str) or not 3 <= len(address) <= 100 or not VPA_PATTERN.match(address):
        raise payout_invalid_field(
            "Invalid VPA. Please enter a valid Virtual Payment Address", field="address"
        )
    username, handle = address.split("@")
    return {"username": username, "handle": handle, "address": address}


def _same_destination(body: dict, account_type: str, details: dict) -> bool:
    if body["account_type"] != account_type:
        return False
    if account_type == "vpa":
        return body["vpa"]["address"] == details["vpa"]["address"]
    mine, theirs = body["bank_account"], details["bank_account"]
    return all(mine[key] == theirs[key] for key in ("name", "ifsc", "account_number"))
