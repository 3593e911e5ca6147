from django.urls import path

from skinspire.payouts.api import accounts, batches, payout_links, suppliers, views

urlpatterns = [
    path("payouts/batches/", batches.BatchListView.as_view(), name="payouts-batch-list"),
    path("payouts/batches/<int:batch_id>", batches.BatchDetailView.as_view(), name="payouts-batch-detail"),
    path(
        "payouts/batches/<int:batch_id>/approve",
        batches.BatchApproveView.as_view(),
        name="payouts-batch-approve",
    ),
    path(
        "payouts/batches/<int:batch_id>/reject",
        batches.BatchRejectView.as_view(),
        name="payouts-batch-reject",
    ),
    path("suppliers/", suppliers.SupplierListView.as_view(), name="payouts-supplier-list"),
    path(
        "supplier/<int:supplier_id>/invoices",
        suppliers.SupplierInvoicesView.as_view(),
        name="payouts-supplier-invoices",
    ),
    path("payouts/fee-preview", suppliers.FeePreviewView.as_view(), name="payouts-fee-preview"),
    path(
        "payouts/payments/<int:payment_id>/retry",
        suppliers.PaymentRetryView.as_view(),
        name="payouts-payment-retry",
    ),
    path(
        "supplier/<int:supplier_id>/bank-accounts",
        accounts.SupplierBankAccountsView.as_view(),
        name="payouts-supplier-accounts",
    ),
    path(
        "supplier-accounts/<int:account_id>/details",
        accounts.AccountDetailsView.as_view(),
        name="payouts-account-details",
    ),
    path(
        "supplier-accounts/<int:account_id>/validate",
        accounts.AccountValidateView.as_view(),
        name="payouts-account-validate",
    ),
    path(
        "supplier-accounts/<int:account_id>/approve",
        accounts.AccountApproveView.as_view(),
        name="payouts-account-approve",
    ),
    path("gateway/initiate-payout", views.InitiatePayoutView.as_view(), name="payouts-initiate"),
    path(
        "gateway/check-status/<int:payment_id>", views.CheckStatusView.as_view(), name="payouts-check-status"
    ),
    path("payouts/payments/", views.PaymentListView.as_view(), name="payouts-payment-list"),
    path("payouts/payments/manual", views.ManualPaymentView.as_view(), name="payouts-payment-manual"),
    path(
        "payouts/payments/<int:payment_id>", views.PaymentDetailView.as_view(), name="payouts-payment-detail"
    ),
    path(
        "payouts/payments/<int:payment_id>/approve",
        views.PaymentApproveView.as_view(),
        name="payouts-payment-approve",
    ),
    path(
        "payouts/payments/<int:payment_id>/reject",
        views.PaymentRejectView.as_view(),
        name="payouts-payment-reject",
    ),
    path(
        "payouts/payments/<int:payment_id>/resend-link",
        payout_links.PayoutLinkResendView.as_view(),
        name="payouts-payment-resend-link",
    ),
    path(
        "payouts/payments/<int:payment_id>/cancel",
        views.PaymentCancelView.as_view(),
        name="payouts-payment-cancel",
    ),
]
