"""Batch payout pages for every role: the list with its upload form, one batch's progress
and its approve / reject buttons (approvers, never the maker); tenancy is 404."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skinspire.core.roles import ROLE_PAYMENT_APPROVER
from skinspire.core.tests.factories import role_group
from skinspire.payouts.models import PayoutBatch, SupplierPayment
from skinspire.payouts.tests.factories import bank_account
from skinspire.workspace.tests.support import EVERY_PERSON, accounts_desk

pytestmark = pytest.mark.django_db

PAGE_STATUS = {"payments": 200, "approver": 200, "accountant": 200, "gatewayadmin": 403, "superuser": 200}
HEADER = "supplier,account,amount,mode,invoices,reference"


def upload(client, user, *lines: str):
    client.force_login(user)
    file = SimpleUploadedFile("december.csv", "\n".join([HEADER, *lines]).encode(), content_type="text/csv")
    return client.post("/api/payouts/batches/", {"file": file, "name": "December"})


@pytest.fixture
def batch(client, desk, chart, gateway, supplier, account):
    response = upload(
        client,
        desk.people["payments"],
        f"Acme Surgicals,{account.pk},1200.50,neft,,D-1",
        f"Acme Surgicals,{account.pk},300.00,imps,,D-2",
    )
    assert response.status_code == 201, response.json()
    client.logout()
    return PayoutBatch.objects.get(pk=response.json()["id"])


@pytest.mark.parametrize("person", EVERY_PERSON)
def test_every_role_on_the_batch_pages(client, desk, batch, person):
    client.force_login(desk.people[person])
    assert client.get("/workspace/payouts/batches/").status_code == PAGE_STATUS[person]
    assert client.get(f"/workspace/payouts/batches/{batch.pk}/").status_code == PAGE_STATUS[person]


@pytest.mark.parametrize("url", ["/workspace/payouts/batches/", "/workspace/payouts/batches/1/"])
def test_anonymous_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, f"/admin/login/?next={url}")


@pytest.mark.parametrize("person", ["payments", "approver", "accountant"])
def test_another_hospitals_batch_is_404_and_absent_from_its_list(client, desk, batch, person):
    other = accounts_desk("Bharat Hospital")
    client.force_login(other.people[person])
    assert client.get(f"/workspace/payouts/batches/{batch.pk}/").status_code == 404
    assert client.get("/workspace/payouts/batches/999999/").status_code == 404
    assert client.get("/workspace/payouts/batches/").context["page"].paginator.count == 0


@pytest.mark.parametrize(
    ("person", "shown"),
    [("payments", True), ("approver", False), ("accountant", False), ("superuser", False)],
)
def test_only_payments_staff_of_a_hospital_get_the_upload_form(client, desk, batch, person, shown):
    client.force_login(desk.people[person])
    html = client.get("/workspace/payouts/batches/").content.decode()
    assert ('id="batch-upload"' in html) is shown
    row = re.search(rf'<a href="/workspace/payouts/batches/{batch.pk}/">December</a>.*?</tr>', html, re.S)
    assert row is not None
    cells = re.findall(r'<td class="amount">([^<]*)</td>', row.group(0))
    assert cells == ["2", "₹1,500.50"]
    assert 'data-status="pending_approval">Pending approval</span>' in row.group(0)


@pytest.mark.parametrize(
    ("person", "decides"),
    [("payments", False), ("approver", True), ("accountant", False), ("superuser", True)],
)
def test_approve_and_reject_are_offered_to_approvers_only(client, desk, batch, person, decides):
    client.force_login(desk.people[person])
    html = client.get(f"/workspace/payouts/batches/{batch.pk}/").content.decode()
    assert ('id="action-approve"' in html) is decides
    assert ('id="action-reject"' in html) is decides
    assert f'data-api-url="/api/payouts/batches/{batch.pk}"' in html


def test_the_maker_who_is_also_an_approver_is_not_offered_approval_and_the_api_refuses(
    client, desk, chart, gateway, supplier, account
):
    maker = desk.people["payments"]
    maker.groups.add(role_group(ROLE_PAYMENT_APPROVER))
    created = upload(client, maker, f"Acme Surgicals,{account.pk},500.00,imps,,M-1")
    assert created.status_code == 201, created.json()
    batch_id = created.json()["id"]

    html = client.get(f"/workspace/payouts/batches/{batch_id}/").content.decode()
    assert 'id="action-approve"' not in html
    refused = client.post(f"/api/payouts/batches/{batch_id}/approve")
    assert (refused.status_code, refused.json()["message"]) == (
        403,
        "The maker of a payment cannot approve or reject it; another approver must.",
    )
    assert PayoutBatch.objects.get(pk=batch_id).status == "pending_approval"


def test_progress_shows_counts_and_amounts_by_status_after_approval(client, desk, batch, run_tasks):
    client.force_login(desk.people["approver"])
    approved = run_tasks(lambda: client.post(f"/api/payouts/batches/{batch.pk}/approve"))
    assert approved.status_code == 200

    response = client.get(f"/workspace/payouts/batches/{batch.pk}/")
    html = response.content.decode()
    statuses = {payment.status for payment in SupplierPayment.objects.filter(batch=batch)}
    assert statuses == {"processing"}
    assert 'id="action-approve"' not in html
    line = re.search(r'<tr data-status="processing">.*?</tr>', html, re.S)
    assert line is not None
    assert re.findall(r'<td class="amount">([^<]*)</td>', line.group(0)) == ["2", "₹1,500.50"]
    assert '<span id="progress-finished">0</span>' in html
    assert '<span id="progress-rows">2</span>' in html
    assert (
        '<span class="badge badge-waiting" data-status="sending">Sending</span>' in html
    )  # the batch's badge
    assert [row["payment"] for row in _rows(html)] == list(
        SupplierPayment.objects.filter(batch=batch).order_by("batch_row").values_list("reference", flat=True)
    )
    listed = client.get("/workspace/payouts/batches/").content.decode()
    assert 'data-status="sending">Sending</span>' in listed  # the list says where it stands, not "Approved"


def test_a_batch_of_one_row_counts_it_in_the_singular(client, desk, chart, gateway, account):
    response = upload(client, desk.people["payments"], f"Acme Surgicals,{account.pk},99.00,imps,,S-1")
    assert response.status_code == 201, response.json()

    html = client.get(f"/workspace/payouts/batches/{response.json()['id']}/").content.decode()
    summary = re.search(r'<p id="progress-summary".*?</p>', html, re.S)
    assert summary is not None
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", summary.group(0))).strip()
    assert text == "0 of 1 row finished · total ₹99.00"


def test_a_rejected_batch_shows_its_reason_and_cancelled_rows(client, desk, batch):
    client.force_login(desk.people["approver"])
    rejected = client.post(
        f"/api/payouts/batches/{batch.pk}/reject", {"reason": "Wrong month"}, content_type="application/json"
    )
    assert rejected.status_code == 200
    html = client.get(f"/workspace/payouts/batches/{batch.pk}/").content.decode()
    assert "<dt>Rejected because</dt><dd>Wrong month</dd>" in html
    assert '<tr data-status="cancelled">' in html
    assert 'id="action-reject"' not in html


def _rows(html: str) -> list[dict]:
    table = re.search(r'<table class="list" id="batch-rows">.*?</table>', html, re.S)
    assert table is not None
    return [
        {"row": row, "payment": reference}
        for row, reference in re.findall(
            r"<tr data-payment=\"\d+\"><td>(\d+)</td><td><a href=\"/workspace/payouts/\d+/\">([^<]+)</a>",
            table.group(0),
        )
    ]


def test_the_list_costs_the_same_queries_for_one_batch_as_for_four(client, desk, batch, account):
    def listing_queries(batches: int) -> int:
        client.force_login(desk.people["accountant"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/workspace/payouts/batches/")
        assert (response.status_code, len(response.context["page"])) == (200, batches)
        return len(captured)

    one = listing_queries(1)
    for number in range(3):
        created = upload(
            client, desk.people["payments"], f"Acme Surgicals,{account.pk},10.00,imps,,Q-{number}"
        )
        assert created.status_code == 201, created.json()
    assert listing_queries(4) == one


def test_a_row_the_bank_refuses_fails_alone_and_the_progress_shows_both(
    client, desk, chart, gateway, supplier, account, run_tasks
):
    refused = bank_account(supplier, account_number="50100012340000")  # the sandbox's bank refuses it
    created = upload(
        client,
        desk.people["payments"],
        f"Acme Surgicals,{account.pk},1000.00,imps,,F-1",
        f"Acme Surgicals,{refused.pk},250.00,imps,,F-2",
    )
    assert created.status_code == 201, created.json()
    batch_id = created.json()["id"]
    client.force_login(desk.people["approver"])
    assert run_tasks(lambda: client.post(f"/api/payouts/batches/{batch_id}/approve")).status_code == 200
    for payment in SupplierPayment.objects.filter(batch_id=batch_id):
        assert client.get(f"/api/gateway/check-status/{payment.pk}").status_code == 200

    html = client.get(f"/workspace/payouts/batches/{batch_id}/").content.decode()
    lines = dict(re.findall(r'<tr data-status="(\w+)">(.*?)</tr>', html, re.S))
    assert sorted(lines) == ["completed", "failed"]
    assert re.findall(r'<td class="amount">([^<]*)</td>', lines["completed"]) == ["1", "₹1,000.00"]
    assert re.findall(r'<td class="amount">([^<]*)</td>', lines["failed"]) == ["1", "₹250.00"]
    assert '<span id="progress-finished">2</span>' in html
    heading = re.search(r"<h1>.*?</h1>", html, re.S)
    assert (
        heading is not None
        and 'data-status="finished_with_failures">Finished with failures<' in heading.group(0)
    )
    refused_row = re.search(r'<tr data-payment="\d+"><td>3</td>.*?</tr>', html, re.S)
    assert refused_row is not None
    assert 'data-status="failed">Failed</span>' in refused_row.group(0)
    assert (
        '<td class="row-detail">Payout failed as the beneficiary bank rejected the transaction.</td>'
        in refused_row.group(0)
    )
    listed = client.get("/workspace/payouts/batches/").content.decode()
    assert 'data-status="finished_with_failures">Finished with failures</span>' in listed
