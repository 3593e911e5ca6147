"""Settlements API: list, fetch, and the combined recon report."""

from skinspire.sandbox.razorpay import selectors
from skinspire.sandbox.selectors import sandbox_object_list


def settlement_list(request, merchant, data) -> dict:
    return selectors.collection(
        queryset=sandbox_object_list(merchant=merchant, entity="settlement"), params=data
    )


def settlement_recon(request, merchant, data) -> dict:
    return selectors.recon_items(merchant=merchant, params=data)
