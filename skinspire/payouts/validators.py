"""Format checks for Indian bank details (what the bank or NPCI would refuse outright).

IFSC: 4 letters (the bank), a zero, 6 letters or digits (the branch) — RBI's format.
Account numbers: 5-35 letters or digits (RazorpayX fund accounts, reference §2.2).
UPI VPA: 3-100 characters of letters, digits, dot and hyphen with exactly one "@"
(RazorpayX fund accounts, reference §2.2).
"""

import re

from django.core.exceptions import ValidationError

IFSC_PATTERN = re.compile(r"^[A-Z]{4}0[A-Z0-9]{6}$")
ACCOUNT_NUMBER_PATTERN = re.compile(r"^[A-Za-z0-9]{5,35}$")
VPA_PATTERN = re.compile(r"^[A-Za-z0-9.\-]+@[A-Za-z0-9.\-]+$")


def validate_ifsc(value: str) -> None:
    if not IFSC_PATTERN.match(value or ""):
        raise ValidationError(
            "An IFSC is 11 characters: 4 capital letters, a zero, then 6 letters or digits "
            "(for example HDFC0000123).",
            code="ifsc",
        )


def validate_account_number(value: str) -> None:
    if not ACCOUNT_NUMBER_PATTERN.match(value or ""):
        raise ValidationError("An account number is 5 to 35 letters or digits.", code="account_number")


def validate_vpa(value: str) -> None:
    if not (3 <= len(value or "") <= 100 and VPA_PATTERN.match(value)):
        raise ValidationError(
            "A UPI id looks like name@bank: letters, digits, dots and hyphens with one @.",
            code="vpa",
        )
