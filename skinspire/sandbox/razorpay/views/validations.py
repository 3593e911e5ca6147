"""RazorpayX fund account validation API (reference §2.8)."""

from skinspire.sandbox.razorpay import selectors
from skinspire.sandbox.razorpay.services import validations
from skinspire.sandbox.razorpay.services.common import account_number_check, object_or_error
from skinspire.sandbox.selectors import sandbox_object_list


def validation_create(request, merchant, data) -> dict:
    return validations.fund_account_validation_create(merchant=merchant, data=data).body


def validation_list(request, merchant, data) -> dict:
    account_number_check(merchant=merchant, value=data.get("account_number"))
    queryset = sandbox_object_list(merchant=merchant, entity=validations.ENTITY)
    return selectors.collection(queryset=queryset, params=data)


def validation_fetch(request, merchant, data, object_id: str) -> dict:
    return object_or_error(merchant=merchant, entity=validations.ENTITY, object_id=object_id).body
