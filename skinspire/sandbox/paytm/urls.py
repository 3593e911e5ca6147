"""The Paytm sandbox: both Paytm hosts (PG and payouts dashboard) under one prefix."""

from django.urls import path

from skinspire.sandbox.paytm.views import links, pages, payouts, pg, settlements

app_name = "paytm"

urlpatterns = [
    # PG (securegw / secure.paytmpayments.com)
    path("theia/api/v1/initiateTransaction", pg.initiate_transaction, name="initiate-transaction"),
    path("order/initiate", pg.initiate_transaction, name="order-initiate"),  # the server SDKs' path
    path("v3/order/status", pg.order_status, name="order-status"),
    path("refund/apply", pg.refund_apply, name="refund-apply"),
    path("v2/refund/status", pg.refund_status, name="refund-status"),
    path("link/create", links.create, name="link-create"),
    path("link/fetch", links.fetch, name="link-fetch"),
    path("link/fetchTransaction", links.fetch_transaction, name="link-fetch-transaction"),
    path("link/expire", links.expire, name="link-expire"),
    path("merchant-settlement-service/settlement/list", settlements.settlement_list, name="settlement-list"),
    # Hosted pages
    path("theia/api/v1/showPaymentPage", pages.checkout, name="checkout"),
    path("link/<int:link_id>/", pages.link_page, name="link-page"),
    path("link/<str:link_name>/LL_<int:link_id>", pages.link_page, name="link-page-long"),
    # Payouts (dashboard.paytm.com)
    path("bpay/api/v1/disburse/order/bank", payouts.bank_transfer, name="payout-bank"),
    path("bpay/api/v1/disburse/order/query", payouts.status_query, name="payout-query"),
]
