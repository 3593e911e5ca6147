"""What tells a newcomer what to do: the home page's task cards by role, the batch starting
file with the account ids filled in, and the payment page's banner when the gateway holds a
payout or it did not go through."""

import csv
import io

import pytest

from skinspire.payouts.services.accounts import supplier_account_change_details
from skinspire.payouts.tests.factories import SupplierFactory, bank_account, upi_account
from skinspire.workspace.tests.payments_support import api_as, gateway_payout
from skinspire.workspace.tests.support import accounts_desk

pytestmark = pytest.mark.django_db

TASKS = {
    "payments": [
        "Pay a supplier",
        "Send a patient a payment link",
        "Pay many suppliers from a file",
        "Refund a patient",
    ],
    "approver": ["Approve payments", "Approve changed bank accounts", "Check a supplier payment"],
    "accountant": ["Check a supplier payment", "Reconcile settlements"],
    "gatewayadmin": ["Switch gateway payments on or off"],
}


@pytest.mark.parametrize("person", list(TASKS))
def test_the_home_page_offers_each_role_its_tasks(client, desk, person):
    client.force_login(desk.people[person])
    tasks = client.get("/").context["workspace"].tasks
    assert [task["title"] for task in tasks] == TASKS[person]
    html = client.get("/").content.decode()
    for task in tasks:
        assert f'<a class="task-title" href="{task["url"]}">{task["title"]}</a>' in html
        assert client.get(task["url"]).status_code == 200


def test_the_approvers_card_opens_on_the_accounts_waiting_for_them(client, desk, supplier):
    """Changed bank details wait for an approver, whose home page did not lead to them."""
    waiting = supplier_account_change_details(
        account=bank_account(supplier),
        holder_name="Acme Surgicals",
        account_number="60200098765432",
        ifsc="ICIC0000456",
        actor=desk.people["payments"],
    )
    upi_account(supplier)  # approved: not waiting, not listed
    client.force_login(desk.people["approver"])
    (card,) = [
        task for task in client.get("/").context["workspace"].tasks if "bank accounts" in task["title"]
    ]

    listed = client.get(card["url"]).context["cl"].result_list

    assert [account.pk for account in listed] == [waiting.pk]


def test_the_starting_file_lists_the_accounts_with_their_ids(client, desk, supplier, account):
    upi = upi_account(supplier, vpa="acme@okhdfc")
    closed = bank_account(supplier, account_number="50100099990001")
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    other_hospital = accounts_desk("Bharat Hospital")
    bank_account(SupplierFactory(hospital=other_hospital.hospital, name="Elsewhere Ltd"))
    client.force_login(desk.people["payments"])

    response = client.get("/workspace/payouts/batches/starting-file.csv")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="batch-payouts.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["supplier", "account", "amount", "mode", "invoices", "reference", "account_shown", "can_be_paid"],
        ["Acme Surgicals", str(account.pk), "", "neft", "", "", "XXXX5678 (HDFC0000123)", "yes"],
        ["Acme Surgicals", str(upi.pk), "", "upi", "", "", "ac***@okhdfc", "yes"],
    ]
    assert "50100012345678" not in response.content.decode()
    page = client.get("/workspace/payouts/batches/").content.decode()
    assert 'href="/workspace/payouts/batches/starting-file.csv" id="starting-file"' in page


@pytest.mark.parametrize(
    ("person", "status"), [("approver", 403), ("accountant", 403), ("gatewayadmin", 403)]
)
def test_only_payments_staff_download_the_starting_file(client, desk, person, status):
    client.force_login(desk.people[person])
    assert client.get("/workspace/payouts/batches/starting-file.csv").status_code == status


def test_the_starting_file_needs_a_sign_in(client):
    response = client.get("/workspace/payouts/batches/starting-file.csv")
    assert response.status_code == 302


def test_a_failed_payout_says_why_at_the_top_of_its_page(client, desk, chart, gateway, supplier, run_tasks):
    refused = bank_account(supplier, account_number="50100012340000")  # the sandbox's bank refuses it
    staff = desk.people["payments"]
    made = run_tasks(lambda: gateway_payout(staff, supplier, refused, amount="900.00", mode="imps"))
    assert api_as(staff).get(f"/api/gateway/check-status/{made['id']}").json()["status"] == "failed"
    client.force_login(staff)

    html = client.get(f"/workspace/payouts/{made['id']}/").content.decode()

    assert 'id="gateway-failure"' in html and 'id="gateway-holds"' not in html
    assert (
        "<strong>This payout did not go through:</strong> Payout failed as the beneficiary bank rejected "
        "the transaction. (beneficiary_bank_rejected)"
    ) in html
    assert "Retry as a new payment" in html


def test_a_payout_in_flight_without_a_gateway_reason_shows_no_banner(
    client, desk, chart, gateway, supplier, account, run_tasks
):
    made = run_tasks(
        lambda: gateway_payout(desk.people["payments"], supplier, account, amount="900.00", mode="imps")
    )
    client.force_login(desk.people["payments"])
    html = client.get(f"/workspace/payouts/{made['id']}/").content.decode()
    payment = supplier.payments.get(pk=made["id"])
    assert (payment.status, payment.waiting_reason) == ("processing", "")
    assert 'id="gateway-holds"' not in html and 'id="gateway-failure"' not in html


def test_empty_lists_say_so_in_words_of_their_own(client, desk):
    client.force_login(desk.people["approver"])
    assert (
        '<td colspan="9">Nothing is waiting for approval.</td>'
        in client.get("/workspace/payouts/approvals/").content.decode()
    )
    client.force_login(desk.people["payments"])
    bills = client.get("/workspace/bills/").content.decode()
    assert '<td colspan="6">No bills yet.</td>' in bills
    assert "send the patient a payment link" in bills
    filtered = client.get("/workspace/bills/?q=nobody").content.decode()
    assert "No bills match these filters: change them or clear them." in filtered


def test_the_record_page_says_where_suppliers_come_from(client, desk):
    client.force_login(desk.people["payments"])
    empty = client.get("/workspace/payouts/new/").content.decode()
    assert '<option value="">No suppliers yet</option>' in empty
    assert "This hospital has no supplier yet." in empty
    assert '<a href="/admin/payouts/supplier/add/">Add a supplier</a>' in empty
    SupplierFactory(hospital=desk.hospital, name="Acme Surgicals")
    listed = client.get("/workspace/payouts/new/").content.decode()
    assert '<option value="">Choose a supplier</option>' in listed
    assert "This hospital has no supplier yet." not in listed
