"""Batch payouts in Chromium: a file with one bad row is refused row by row and nothing is
created; the corrected file becomes a batch; an approver approves it and the progress on
the page moves as the rows complete at the sandbox. No CSP violation (the `page` fixture
fails on one) and no request leaves the site."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect
from rest_framework.test import APIClient

from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts.models import PayoutBatch, SupplierPayment
from skinspire.payouts.tests.factories import SupplierFactory, bank_account
from skinspire.workspace.tests.payments_support import sandbox_gateway
from skinspire.workspace.tests.support import accounts_desk
from tests.browser.workspace_browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADER = "supplier,account,amount,mode,invoices,reference"


@pytest.fixture
def desk_with_supplier():
    desk = accounts_desk()
    chart_of_accounts_create(hospital=desk.hospital)
    sandbox_gateway(desk.hospital)
    supplier = SupplierFactory(hospital=desk.hospital, name="Acme Surgicals")
    account = bank_account(supplier, account_number="50100012345678")
    return desk, account


def row_statuses(page) -> list[tuple[str, str]]:
    """Each row's status badge and its UTR (or problem), as the page shows them."""
    rows = page.locator("#batch-rows tbody tr")
    return [
        (
            rows.nth(index).locator(".row-status").inner_text(),
            rows.nth(index).locator(".row-detail").inner_text(),
        )
        for index in range(rows.count())
    ]


def write_csv(tmp_path, name: str, *lines: str):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    return str(path)


def test_a_batch_with_a_bad_row_is_refused_then_fixed_approved_and_its_progress_moves(
    live_server, page, browser_context, desk_with_supplier, tmp_path
):
    desk, account = desk_with_supplier
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    log_in(page, live_server, desk.people["payments"].username)
    page.click("nav.site-nav >> text=Batch payouts")
    page.wait_for_url(f"{live_server.url}/workspace/payouts/batches/")

    # One bad row: every row is checked, the bad one is listed, nothing is created.
    bad = write_csv(
        tmp_path,
        "december.csv",
        f"Acme Surgicals,{account.pk},1200.50,neft,,D-1",
        f"Acme Surgicals,{account.pk},12.345,imps,,D-2",
    )
    page.set_input_files("#batch-file", bad)
    page.click("#batch-upload button[type=submit]")
    page.wait_for_selector("#upload-errors:not([hidden])")
    cells = page.locator("#row-errors tbody tr").first.locator("td").all_inner_texts()
    assert page.locator("#row-errors tbody tr").count() == 1
    assert cells[0] == "3"
    assert cells[1].startswith("Amount: '12.345' has more than 2 decimal places")
    assert (
        page.locator("#action-result")
        .inner_text()
        .startswith("1 of 2 rows needs correcting; nothing was created.")
    )
    assert (PayoutBatch.objects.count(), SupplierPayment.objects.count()) == (0, 0)
    screenshot(page, "workspace-batch-row-errors")

    # Corrected: the batch is created and waits for an approver.
    good = write_csv(
        tmp_path,
        "december-fixed.csv",
        f"Acme Surgicals,{account.pk},1200.50,neft,,D-1",
        f"Acme Surgicals,{account.pk},300.00,imps,,D-2",
    )
    page.set_input_files("#batch-file", good)
    page.fill("#batch-name", "December suppliers")
    page.click("#batch-upload button[type=submit]")
    page.wait_for_url(re.compile(rf"{re.escape(live_server.url)}/workspace/payouts/batches/\d+/$"))
    batch = PayoutBatch.objects.get()
    assert page.locator("#action-result").inner_text() == "Batch created: 2 rows wait for an approver."
    assert page.locator("h1 .badge").inner_text() == "Pending approval"
    assert page.locator("#actions").count() == 0  # the maker is no approver
    assert page.locator("#progress-table tr[data-status=draft] td").all_inner_texts()[1:] == [
        "2",
        "₹1,500.50",
    ]

    # An approver approves; the rows are sent to the sandbox and the progress follows them.
    approver_page = browser_context(viewport={"width": 1280, "height": 900}).new_page()
    approver_page.set_default_timeout(15_000)
    approver_page.on("request", lambda request: requested.append(request.url))
    log_in(
        approver_page,
        live_server,
        desk.people["approver"].username,
        f"/workspace/payouts/batches/{batch.pk}/",
    )
    approver_page.click("#action-approve button")
    approver_page.wait_for_selector("#action-result.message-success")
    assert approver_page.locator("#action-result").inner_text() == "Batch approved: its rows are being sent."
    assert approver_page.locator("h1 .badge").inner_text() == "Sending"
    approver_page.wait_for_selector("#progress-table tr[data-status=processing]")
    assert approver_page.locator("#progress-table tr[data-status=processing] td").all_inner_texts()[1:] == [
        "2",
        "₹1,500.50",
    ]
    assert approver_page.locator("#progress-finished").inner_text() == "0"

    # The gateway finishes the rows one by one; the page, polling the API, shows it.
    maker_api = APIClient()
    maker_api.force_authenticate(desk.people["payments"])
    first, second = SupplierPayment.objects.filter(batch=batch).order_by("batch_row")
    assert row_statuses(approver_page) == [("Processing", ""), ("Processing", "")]
    assert maker_api.get(f"/api/gateway/check-status/{first.pk}").status_code == 200
    first.refresh_from_db()
    # The row itself turns completed with its UTR, while the batch is still sending.
    approver_page.wait_for_selector(
        f"#batch-rows tr[data-payment='{first.pk}'] .badge[data-status=completed]"
    )
    assert row_statuses(approver_page) == [("Completed", first.utr), ("Processing", "")]
    assert approver_page.locator("h1 .badge").inner_text() == "Sending"
    approver_page.wait_for_selector("#progress-table tr[data-status=completed]")
    assert approver_page.locator("#progress-table tr[data-status=completed] td").all_inner_texts()[1:] == [
        "1",
        "₹1,200.50",
    ]
    assert approver_page.locator("#progress-finished").inner_text() == "1"
    assert maker_api.get(f"/api/gateway/check-status/{second.pk}").status_code == 200
    approver_page.wait_for_selector("#progress[data-polling=done]")
    assert approver_page.locator("#progress-finished").inner_text() == "2"
    assert approver_page.locator("#progress-table tbody tr").count() == 1
    assert approver_page.locator("#progress-table tr[data-status=completed] td").all_inner_texts()[1:] == [
        "2",
        "₹1,500.50",
    ]
    assert approver_page.locator("#progress-amount").inner_text() == "₹1,500.50"
    second.refresh_from_db()
    assert row_statuses(approver_page) == [("Completed", first.utr), ("Completed", second.utr)]
    assert approver_page.locator("h1 .badge").inner_text() == "Completed"
    assert approver_page.locator("h1 .badge").get_attribute("class") == "badge badge-success"
    screenshot(approver_page, "workspace-batch-progress")

    foreign = [url for url in requested if not url.startswith(live_server.url)]
    assert foreign == []


def test_the_progress_stops_polling_and_says_why_when_the_session_ends(
    live_server, page, desk_with_supplier, tmp_path
):
    desk, account = desk_with_supplier
    maker_api, approver_api = APIClient(), APIClient()
    maker_api.force_authenticate(desk.people["payments"])
    approver_api.force_authenticate(desk.people["approver"])
    with open(write_csv(tmp_path, "one.csv", f"Acme Surgicals,{account.pk},750.00,imps,,E-1"), "rb") as file:
        created = maker_api.post("/api/payouts/batches/", {"file": file}, format="multipart")
    assert created.status_code == 201, created.json()
    batch_id = created.json()["id"]
    assert approver_api.post(f"/api/payouts/batches/{batch_id}/approve").status_code == 200

    log_in(page, live_server, desk.people["accountant"].username, f"/workspace/payouts/batches/{batch_id}/")
    page.wait_for_selector("#progress[data-polling=yes]")
    assert page.locator("#actions").count() == 0  # accountants only watch
    assert page.locator("#progress-table tr[data-status=processing] td").all_inner_texts()[1:] == [
        "1",
        "₹750.00",
    ]

    page.context.clear_cookies()  # signed out (elsewhere, or the session expired)
    page.wait_for_selector("#progress[data-polling=stopped]")
    assert page.locator("#action-result.message-error").inner_text() == (
        "Authentication credentials were not provided."
    )
    assert page.locator("#progress-finished").inner_text() == "0"


def test_an_excel_file_is_uploaded_like_a_csv(live_server, page, desk_with_supplier, tmp_path):
    desk, account = desk_with_supplier
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(["Acme Surgicals", account.pk, "2500.00", "neft", "", "X-1"])
    path = tmp_path / "january.xlsx"
    workbook.save(path)

    log_in(page, live_server, desk.people["payments"].username, "/workspace/payouts/batches/")
    page.set_input_files("#batch-file", str(path))
    page.click("#batch-upload button[type=submit]")
    page.wait_for_url(re.compile(rf"{re.escape(live_server.url)}/workspace/payouts/batches/\d+/$"))

    batch = PayoutBatch.objects.get()
    assert (batch.name, batch.file_name, batch.status) == ("january.xlsx", "january.xlsx", "pending_approval")
    expect(page.locator("#action-result")).to_have_text("Batch created: 1 row waits for an approver.")
    assert page.locator("h1").inner_text() == "Batch january.xlsx Pending approval"
    assert page.locator("#batch-rows tbody td").all_inner_texts()[2:] == [
        "Acme Surgicals",
        account.masked,
        "NEFT",
        "₹2,500.00",
        "Draft",  # not sent until an approver approves the batch
        "",
    ]
