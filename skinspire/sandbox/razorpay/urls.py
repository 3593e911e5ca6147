"""Razorpay's API paths under <SANDBOX_BASE_URL>/razorpay (the SDK adds /v1/...), and the
hosted pages. URL names are in the `sandbox` namespace."""

from django.urls import path, re_path

from skinspire.sandbox.razorpay.services.payout_link_claims import payout_link_expire_if_due
from skinspire.sandbox.razorpay.views import (
    collect,
    pages,
    payouts,
    settlements,
    statement,
    validations,
)
from skinspire.sandbox.razorpay.views.base import fetch_view, razorpay_api

api = razorpay_api

urlpatterns = [
    path("v1/orders", api(GET=collect.order_list, POST=collect.order_create)),
    path("v1/orders/<str:object_id>", api(GET=fetch_view("order"), PATCH=collect.notes_edit_view("order"))),
    path("v1/orders/<str:object_id>/payments", api(GET=collect.order_payments)),
    path("v1/payments", api(GET=collect.payment_list)),
    path(
        "v1/payments/<str:object_id>",
        api(GET=fetch_view("payment"), PATCH=collect.notes_edit_view("payment")),
    ),
    path("v1/payments/<str:object_id>/capture", api(POST=collect.payment_capture)),
    path("v1/payments/<str:object_id>/refund", api(POST=collect.payment_refund)),
    path("v1/payments/<str:object_id>/refunds", api(GET=collect.payment_refunds)),
    path("v1/payments/<str:object_id>/refunds/<str:refund_id>", api(GET=collect.payment_refund_fetch)),
    path("v1/refunds", api(GET=collect.refund_list, POST=collect.refund_create)),
    path(
        "v1/refunds/<str:object_id>", api(GET=fetch_view("refund"), PATCH=collect.notes_edit_view("refund"))
    ),
    path("v1/payment_links", api(GET=collect.payment_link_list, POST=collect.payment_link_create)),
    path(
        "v1/payment_links/<str:object_id>",
        api(GET=collect.payment_link_fetch, PATCH=collect.payment_link_edit),
    ),
    path("v1/payment_links/<str:object_id>/cancel", api(POST=collect.payment_link_cancel)),
    path("v1/payment_links/<str:object_id>/notify_by/<str:medium>", api(POST=collect.payment_link_notify)),
    path("v1/contacts", api(GET=payouts.contact_list, POST=payouts.contact_create)),
    path("v1/contacts/<str:object_id>", api(GET=fetch_view("contact"))),
    path("v1/fund_accounts", api(GET=payouts.fund_account_list, POST=payouts.fund_account_create)),
    # Before fund_accounts/<id>, which would otherwise take "validations" for an id.
    path(
        "v1/fund_accounts/validations",
        api(GET=validations.validation_list, POST=validations.validation_create),
    ),
    path("v1/fund_accounts/validations/<str:object_id>", api(GET=validations.validation_fetch)),
    path("v1/fund_accounts/<str:object_id>", api(GET=fetch_view("fund_account"))),
    path("v1/payouts", api(GET=payouts.payout_list, POST=payouts.payout_create)),
    path("v1/payouts/<str:object_id>", api(GET=fetch_view("payout"))),
    path("v1/payouts/<str:object_id>/cancel", api(POST=payouts.payout_cancel)),
    path("v1/payout-links", api(GET=payouts.payout_link_list, POST=payouts.payout_link_create)),
    path(
        "v1/payout-links/<str:object_id>",
        api(GET=fetch_view("payout_link", prepare=lambda link: payout_link_expire_if_due(link=link))),
    ),
    path("v1/payout-links/<str:object_id>/cancel", api(POST=payouts.payout_link_cancel)),
    path("v1/transactions", api(GET=statement.transaction_list)),
    path("v1/transactions/<str:object_id>", api(GET=statement.transaction_fetch)),
    path("v1/settlements", api(GET=settlements.settlement_list)),
    path("v1/settlements/recon/combined", api(GET=settlements.settlement_recon)),
    path("v1/settlements/<str:object_id>", api(GET=fetch_view("settlement"))),
    # Hosted Checkout's form target (Razorpay's is https://api.razorpay.com/v1/checkout/embedded).
    path("v1/checkout/embedded", pages.hosted_checkout, name="razorpay-hosted-checkout"),
    path("checkout/<str:order_id>/", pages.checkout_page, name="razorpay-checkout"),
    path("l/<str:link_id>/", pages.payment_link_page, name="razorpay-link-page"),
    path("payout-links/<str:link_id>/", pages.payout_link_page, name="razorpay-payout-link-page"),
    # Anything else under /razorpay/: Razorpay's 400 "The requested URL was not found on the
    # server." (a known path with a verb it does not take gets the same from razorpay_api).
    re_path(r"", api()),
]
