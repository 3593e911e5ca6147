"""RazorpayX account statement: GET /v1/transactions?account_number=…, GET /v1/transactions/:id."""

from skinspire.sandbox.razorpay import selectors
from skinspire.sandbox.razorpay.services.common import account_number_check, object_or_error
from skinspire.sandbox.selectors import sandbox_object_list


def transaction_list(request, merchant, data) -> dict:
    account_number_check(merchant=merchant, value=data.get("account_number"))
    queryset = sandbox_object_list(merchant=merchant, entity="transaction")
    return selectors.collection(queryset=queryset, params=data, render=selectors.transaction_body)


def transaction_fetch(request, merchant, data, object_id: str) -> dict:
    return selectors.transaction_body(
        object_or_error(merchant=merchant, entity="transaction", object_id=object_id)
    )
