"""The collections API, included under /api/ by skinspire/urls.py."""

from django.urls import path

from skinspire.collections.api import bills, checkout, links, payments, refunds

urlpatterns = [
    path("bills", bills.BillListCreateApi.as_view(), name="collections-bill-list"),
    path("bills/<int:bill_id>", bills.BillDetailApi.as_view(), name="collections-bill-detail"),
    path("patient-payments", payments.PatientPaymentListApi.as_view(), name="collections-payment-list"),
    path(
        "patient-payments/<int:payment_id>",
        payments.PatientPaymentDetailApi.as_view(),
        name="collections-payment-detail",
    ),
    path(
        "patient-payments/manual",
        payments.ManualPaymentCreateApi.as_view(),
        name="collections-payment-manual",
    ),
    path(
        "patient-payments/<int:payment_id>/refunds",
        refunds.PatientRefundListCreateApi.as_view(),
        name="collections-refund-list",
    ),
    path("payment-links", links.PaymentLinkListApi.as_view(), name="collections-link-list"),
    path(
        "payment-links/<int:link_id>/cancel",
        links.PaymentLinkCancelApi.as_view(),
        name="collections-link-cancel",
    ),
    path(
        "payment-links/<int:link_id>/resend",
        links.PaymentLinkResendApi.as_view(),
        name="collections-link-resend",
    ),
    path("payment-links/<int:link_id>/qr", links.PaymentLinkQrApi.as_view(), name="collections-link-qr"),
    path("patient-payment/create-order", checkout.CreateOrderApi.as_view(), name="collections-create-order"),
    path("patient-payment/verify", checkout.VerifyApi.as_view(), name="collections-verify"),
]
