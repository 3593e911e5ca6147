from django.urls import path
from django.views.generic import RedirectView

from skinspire.reconciliation import views as reconciliation
from skinspire.workspace import views
from skinspire.workspace.collections import bills, checkout, release
from skinspire.workspace.collections import views as collections
from skinspire.workspace.payouts import batches, record
from skinspire.workspace.payouts import views as payouts

urlpatterns = [
    # The workspace's pages are listed on the home page; its bare address (typed, or a
    # bookmark cut short) goes there rather than to a 404.
    path("", RedirectView.as_view(pattern_name="home"), name="workspace"),
    path("scope/", views.scope_choose, name="workspace-scope"),
    path("payouts/", payouts.payment_list, name="workspace-payouts"),
    path("payouts/approvals/", payouts.approval_queue, name="workspace-approvals"),
    path("payouts/new/", record.payment_record, name="workspace-payout-record"),
    path("payouts/batches/", batches.batch_list, name="workspace-batches"),
    path(
        "payouts/batches/starting-file.csv", batches.batch_starting_file, name="workspace-batch-starting-file"
    ),
    path("payouts/batches/<int:batch_id>/", batches.batch_detail, name="workspace-batch-detail"),
    path("payouts/<int:payment_id>/", payouts.payment_detail, name="workspace-payout-detail"),
    path("bills/", bills.bill_list, name="workspace-bills"),
    path("bills/<int:bill_id>/", bills.bill_detail, name="workspace-bill-detail"),
    path("bills/<int:bill_id>/pay-online", checkout.bill_pay_online, name="workspace-bill-pay-online"),
    path("patient-payments/", collections.payment_list, name="workspace-patient-payments"),
    path(
        "patient-payments/<int:payment_id>/",
        collections.payment_detail,
        name="workspace-patient-payment-detail",
    ),
    path(
        "patient-payments/<int:payment_id>/release",
        release.payment_release,
        name="workspace-patient-payment-release",
    ),
    path("reconciliation/", reconciliation.dashboard, name="workspace-reconciliation"),
    path(
        "reconciliation/reports/<slug:name>.xlsx",
        reconciliation.report_export,
        name="workspace-reconciliation-report",
    ),
]
