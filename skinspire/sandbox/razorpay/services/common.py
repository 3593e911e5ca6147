"""Small helpers shared by the Razorpay sandbox services."""

from django.utils import timezone

from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay.errors import id_not_found, payout_invalid_field
from skinspire.sandbox.selectors import sandbox_object_get


def now_unix() -> int:
    return int(timezone.now().timestamp())


def today_iso() -> str:
    """The merchant-facing business day (Asia/Kolkata), which settlements count in."""
    return timezone.localdate().isoformat()


def object_or_error(
    *, merchant: SandboxMerchant, entity: str, object_id: str, for_update: bool = False
) -> SandboxObject:
    if not isinstance(object_id, str) or not object_id:  # an id from a JSON body may be anything
        raise id_not_found()
    found = sandbox_object_get(merchant=merchant, entity=entity, object_id=object_id, for_update=for_update)
    if found is None:
        raise id_not_found()
    return found


def account_number_check(*, merchant: SandboxMerchant, value) -> str:
    """RazorpayX calls name the business account (`account_number`); it must be the merchant's."""
    if not value:
        raise payout_invalid_field("The account number field is required.", field="account_number")
    if str(value) != merchant.account_number:
        raise payout_invalid_field("The account number is invalid.", field="account_number")
    return str(value)
