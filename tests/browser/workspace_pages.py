"""The workspace's pages with something on each, for the browser tests that walk them all
(test_accessibility.py, test_workspace_on_a_phone.py): a busy desk, the pages each role
opens, and a patient's open payment link."""

from django.core.files.uploadedfile import SimpleUploadedFile

from skinspire.collections.models import PaymentLink
from skinspire.collections.services.links import payment_link_create
from skinspire.collections.tests.factories import BillFactory, PatientFactory
from skinspire.core.models import StatusTransition
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts.models import PayoutBatch, SupplierPayment
from skinspire.payouts.tests.factories import SupplierFactory, SupplierInvoiceFactory, upi_account
from skinspire.reconciliation.tests.dashboard_support import completed_run, open_discrepancy
from skinspire.workspace.tests.payments_support import (
    api_as,
    counter_payment,
    gateway_payout,
    sandbox_gateway,
)
from skinspire.workspace.tests.support import Desk, accounts_desk

# The workspace's pages by role (docs/workspace.md, "Navigation"), each a key of
# `desk_with_every_page`'s addresses; admin pages by the role that works in them.
ROLE_PAGES = {
    "payments": [
        "home", "payouts", "payout", "record", "batches", "batch",
        "bills", "bill", "patient_payments", "patient_payment",
    ],
    "approver": ["home", "payouts", "payout_to_approve", "approvals", "batches", "batch"],
    "accountant": [
        "home", "payouts", "payout", "batches", "batch", "bills", "bill",
        "patient_payments", "patient_payment", "reconciliation",
    ],
    "gatewayadmin": ["home", "admin_configurations", "admin_configuration"],
    "superuser": [
        "home", "payouts", "payout", "payout_to_approve", "record", "approvals", "batches", "batch",
        "bills", "bill", "patient_payments", "patient_payment", "reconciliation",
        "admin_configurations", "admin_configuration", "admin_discrepancies", "admin_discrepancy",
    ],
}  # fmt: skip


def desk_with_every_page() -> tuple[Desk, dict[str, str]]:
    """A hospital's desk with something on every page; (desk, the address of each page)."""
    desk = accounts_desk()
    chart_of_accounts_create(hospital=desk.hospital)
    configuration = sandbox_gateway(desk.hospital)
    staff = desk.people["payments"]
    supplier = SupplierFactory.create(hospital=desk.hospital, name="Acme Surgicals")
    SupplierInvoiceFactory.create(supplier=supplier, number="A-7")
    upi = upi_account(supplier, vpa="acme@okhdfc")
    payout = gateway_payout(staff, supplier, upi, amount="4500.00", mode="upi")
    late_event(payout["id"])
    to_approve = gateway_payout(staff, supplier, upi, amount="75000.00", mode="upi")
    patient = PatientFactory.create(hospital=desk.hospital, name="Asha Verma")
    bill = BillFactory.create(branch=desk.main, patient=patient, number="OPD-3001", amount="2400.00")
    patient_payment = counter_payment(staff, bill, amount="400.00")
    payment_link_create(actor=staff, bill=bill, expire_in_hours=24, amount="1000.00", notify_email=True)
    batch = batch_upload(staff, upi)
    for days_ago, matched in [(3, 95), (1, 99)]:
        run = completed_run(configuration, days_ago=days_ago, matched=matched, discrepancies=100 - matched, fees="80.00")  # fmt: skip
    discrepancy = open_discrepancy(run, summary="not settled 4 days later", fingerprint="a")
    return desk, {
        "home": "/",
        "payouts": "/workspace/payouts/",
        "payout": f"/workspace/payouts/{payout['id']}/",
        "payout_to_approve": f"/workspace/payouts/{to_approve['id']}/",
        "record": "/workspace/payouts/new/",
        "approvals": "/workspace/payouts/approvals/",
        "batches": "/workspace/payouts/batches/",
        "batch": f"/workspace/payouts/batches/{batch.pk}/",
        "bills": "/workspace/bills/",
        "bill": f"/workspace/bills/{bill.pk}/",
        "patient_payments": "/workspace/patient-payments/",
        "patient_payment": f"/workspace/patient-payments/{patient_payment['id']}/",
        "reconciliation": "/workspace/reconciliation/",
        "admin_configurations": "/admin/gateways/gatewayconfiguration/",
        "admin_configuration": f"/admin/gateways/gatewayconfiguration/{configuration.pk}/change/",
        "admin_discrepancies": "/admin/reconciliation/discrepancy/",
        "admin_discrepancy": f"/admin/reconciliation/discrepancy/{discrepancy.pk}/change/",
        "supplier": str(supplier.pk),
        "account": str(upi.pk),
    }


def late_event(payout_id: int) -> None:
    """A gateway event that arrived late: the payment's timeline shows it greyed, "ignored"."""
    StatusTransition.objects.create(
        content_object=SupplierPayment.objects.get(pk=payout_id),
        from_state="processing",
        to_state="pending",
        outcome=StatusTransition.Outcome.IGNORED,
        reason="The gateway reported an earlier status after a later one",
        event_reference="webhook:razorpay:evt_late",
    )


def batch_upload(staff, account) -> PayoutBatch:
    lines = ["supplier,account,amount,mode,invoices,reference",
             f"Acme Surgicals,{account.pk},1200.50,upi,,D-1", f"Acme Surgicals,{account.pk},300.00,upi,,D-2"]  # fmt: skip
    file = SimpleUploadedFile("december.csv", "\n".join(lines).encode(), content_type="text/csv")
    response = api_as(staff).post("/api/payouts/batches/", {"file": file, "name": "December"})
    assert response.status_code == 201, response.json()
    return PayoutBatch.objects.get(pk=response.json()["id"])


def open_patient_link(live_server, settings) -> PaymentLink:
    """An open payment link for 1,000 of a 2,400 bill, paid on the sandbox's hosted page,
    which the live server serves so that the phone reaches it as a patient reaches
    Razorpay's (as in test_workspace_link_on_phone.py)."""
    people = accounts_desk()
    chart_of_accounts_create(hospital=people.hospital)
    sandbox = f"{live_server.url}/sandbox"
    settings.GATEWAY_BASE_URL_ALLOWLIST = [*settings.GATEWAY_BASE_URL_ALLOWLIST, sandbox]
    configuration = sandbox_gateway(people.hospital)
    configuration.base_url = f"{sandbox}/razorpay"
    configuration.save(update_fields=["base_url"])
    patient = PatientFactory.create(hospital=people.hospital, name="Ravi Kumar")
    bill = BillFactory.create(branch=people.main, patient=patient, number="OPD-4001", amount="2400.00")
    return payment_link_create(
        actor=people.people["payments"],
        bill=bill,
        expire_in_hours=24,
        amount="1000.00",
        callback_url_for=lambda link: f"{live_server.url}/pay/link/{link.token}/return",
    )
