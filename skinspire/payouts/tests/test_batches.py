"""Batch payouts: upload (CSV and Excel), all-or-nothing validation with per-row errors,
approval as one by someone else, rows sent independently, progress."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from skinspire.core.audit import AuditEntry
from skinspire.payouts.models import PayoutBatch, SupplierInvoice, SupplierPayment
from skinspire.payouts.tests.factories import SupplierInvoiceFactory, bank_account, upi_account

pytestmark = pytest.mark.django_db

HEADER = "supplier,account,amount,mode,invoices,reference"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def setup(supplier):
    good = bank_account(supplier)
    rejected = bank_account(supplier, account_number="50100012340000")  # the sandbox's bank refuses it
    upi = upi_account(supplier, vpa="acme@okaxis")
    invoices = [
        SupplierInvoiceFactory(supplier=supplier, number="B-1", amount=Decimal("1000.00")),
        SupplierInvoiceFactory(supplier=supplier, number="B-2", amount=Decimal("500.00")),
    ]
    return {"good": good, "rejected": rejected, "upi": upi, "invoices": invoices}


def csv_file(*lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("november.csv", "\n".join([HEADER, *lines]).encode(), content_type="text/csv")


def upload(client, file):
    return client.post("/api/payouts/batches/", {"file": file, "name": "November"}, format="multipart")


def test_a_batch_is_uploaded_approved_and_sent_row_by_row(
    configuration, chart, supplier, setup, maker, approver, run_tasks
):
    file = csv_file(
        f"Acme Surgicals,{setup['good'].pk},1200.00,neft,B-1;B-2,R-1",
        f"Acme Surgicals,{setup['rejected'].pk},300.00,imps,B-2,R-2",
        f"Acme Surgicals,{setup['upi'].pk},99.00,upi,,R-3",
    )

    created = upload(client_for(maker), file)

    assert created.status_code == 201, created.json()
    batch = created.json()
    assert (batch["status"], batch["progress"]["rows"], batch["progress"]["total_amount"]) == (
        "pending_approval",
        3,
        "1599.00",
    )
    shares = SupplierPayment.objects.get(description="R-1").allocations.order_by("invoice__number")
    assert [(line.invoice.number, line.amount) for line in shares] == [
        ("B-1", Decimal("1000.00")),
        ("B-2", Decimal("200.00")),
    ]
    assert client_for(maker).post(f"/api/payouts/batches/{batch['id']}/approve").status_code == 403

    approved = run_tasks(lambda: client_for(approver).post(f"/api/payouts/batches/{batch['id']}/approve"))
    assert approved.status_code == 200
    for payment in SupplierPayment.objects.filter(batch_id=batch["id"]):
        client_for(maker).get(f"/api/gateway/check-status/{payment.pk}")

    progress = client_for(maker).get(f"/api/payouts/batches/{batch['id']}").json()["progress"]
    assert progress == {
        "rows": 3,
        "finished": 3,
        "total_amount": "1599.00",
        "by_status": {
            "completed": {"count": 2, "amount": "1299.00"},
            "failed": {"count": 1, "amount": "300.00"},
        },
        "phase": "finished_with_failures",
    }
    rows = client_for(maker).get(f"/api/payouts/batches/{batch['id']}").json()["rows"]
    assert [(row["row"], row["status"], bool(row["utr"]), row["failure_reason"]) for row in rows] == [
        (row, status, status == "completed", reason)
        for row, status, reason in [
            (2, "completed", ""),
            (3, "failed", "Payout failed as the beneficiary bank rejected the transaction."),
            (4, "completed", ""),
        ]
    ]
    assert SupplierInvoice.objects.get(number="B-2").amount_paid == Decimal("200.00")
    assert (
        AuditEntry.objects.filter(action__in=["payouts.batch.create", "payouts.batch.approve"]).count() == 2
    )


def test_wrong_rows_are_all_reported_and_nothing_is_created(configuration, chart, supplier, setup, maker):
    file = csv_file(
        f"Acme Surgicals,{setup['good'].pk},1000.00,neft,B-1,R-1",
        f"Nobody Ltd,{setup['good'].pk},10.00,neft,,R-2",
        f"Acme Surgicals,{setup['good'].pk},12.345,neft,,R-3",
        f"Acme Surgicals,{setup['good'].pk},100.00,rtgs,,R-4",
        f"Acme Surgicals,{setup['good'].pk},10.00,neft,B-9,R-5",
        f"Acme Surgicals,{setup['good'].pk},10.00,neft,,R-1",
        f"Acme Surgicals,{setup['upi'].pk},10.00,neft,,R-7",
    )

    response = upload(client_for(maker), file)

    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "6 of 7 rows need correcting; nothing was created."
    rows = body["extra"]["rows"]
    assert sorted(rows) == ["3", "4", "5", "6", "7", "8"]
    assert rows["3"] == ["No supplier named 'Nobody Ltd'."]
    assert rows["4"][0].startswith("Amount: '12.345' has more than 2 decimal places")
    assert rows["5"][0].startswith("RTGS payouts start at ₹2,00,000.00")
    assert rows["6"] == ["Unknown invoices of Acme Surgicals: B-9."]
    assert rows["7"][0].startswith("Reference R-1 was already used (payment SP")
    assert rows["8"] == ["A NEFT payout goes to a bank account; choose another account or mode."]
    assert not PayoutBatch.objects.exists() and not SupplierPayment.objects.exists()
    assert SupplierInvoice.objects.get(number="B-1").amount_allocated == Decimal("0.00")
    assert (
        not AuditEntry.objects.filter(action__startswith="payouts.")
        .exclude(action="payouts.account.create")
        .exists()
    )


def test_one_wrong_row_of_one_is_counted_in_the_singular(configuration, chart, supplier, setup, maker):
    response = upload(client_for(maker), csv_file(f"Nobody Ltd,{setup['good'].pk},10.00,neft,,R-1"))

    assert response.status_code == 400
    assert response.json()["message"] == "1 of 1 row needs correcting; nothing was created."
    assert response.json()["extra"]["rows"] == {"2": ["No supplier named 'Nobody Ltd'."]}
    assert not PayoutBatch.objects.exists() and not SupplierPayment.objects.exists()


def test_an_excel_file_is_read_the_same(configuration, chart, supplier, setup, maker):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(["Acme Surgicals", setup["good"].pk, 250.5, "IMPS", "", "X-1"])
    content = io.BytesIO()
    workbook.save(content)
    file = SimpleUploadedFile("batch.xlsx", content.getvalue())

    response = upload(client_for(maker), file)

    assert response.status_code == 201, response.json()
    assert SupplierPayment.objects.get().amount == Decimal("250.50")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("batch.pdf", b"%PDF", "Upload a .csv or .xlsx file."),
        (
            "batch.csv",
            b"supplier,amount\nAcme,1",
            "The file lacks the columns: account, mode, invoices, reference.",
        ),
        ("batch.csv", HEADER.encode(), "A batch has 1 to 1000 rows."),
        ("batch.xlsx", b"not a zip", "The file could not be read as a table."),
        ("batch.csv", b"\xff\xfe\x00bad", "The file could not be read as a table."),
    ],
)
def test_unreadable_files_are_400(configuration, maker, name, content, message):
    response = upload(client_for(maker), SimpleUploadedFile(name, content))

    assert (response.status_code, response.json()["message"]) == (400, message)
    assert not PayoutBatch.objects.exists()


def test_a_rejected_batch_cancels_its_rows_and_frees_the_invoices(
    configuration, chart, supplier, setup, maker, approver
):
    batch = upload(
        client_for(maker), csv_file(f"Acme Surgicals,{setup['good'].pk},1000.00,neft,B-1,R-1")
    ).json()

    rejected = client_for(approver).post(
        f"/api/payouts/batches/{batch['id']}/reject", {"reason": "Wrong month"}, format="json"
    )

    assert (rejected.status_code, rejected.json()["status"]) == (200, "rejected")
    assert SupplierPayment.objects.get().status == "cancelled"
    assert SupplierInvoice.objects.get(number="B-1").amount_allocated == Decimal("0.00")


@pytest.mark.parametrize(
    ("role", "list_status", "upload_status"),
    [
        ("Payments staff", 200, 201),
        ("Payment approver", 200, 403),
        ("Accountant", 200, 403),
        ("Gateway admin", 403, 403),
    ],
)
def test_roles(configuration, chart, hospital, branch, supplier, setup, role, list_status, upload_status):
    from skinspire.core.tests.factories import UserFactory

    client = client_for(UserFactory(hospital=hospital, roles=[role], branches=[branch]))

    assert client.get("/api/payouts/batches/").status_code == list_status
    assert (
        upload(client, csv_file(f"Acme Surgicals,{setup['good'].pk},10.00,neft,,R-1")).status_code
        == upload_status
    )
    assert APIClient().get("/api/payouts/batches/").status_code == 401


@pytest.mark.parametrize(
    ("role", "detail", "approve", "reject"),
    [
        ("Payments staff", 200, 403, 403),
        ("Payment approver", 200, 200, 409),  # approved first, so the rejection comes too late
        ("Accountant", 200, 403, 403),
        ("Gateway admin", 403, 403, 403),
        ("anonymous", 401, 401, 401),
    ],
)
def test_roles_on_a_batch(
    configuration, chart, hospital, branch, supplier, setup, maker, role, detail, approve, reject, run_tasks
):
    from skinspire.core.tests.factories import UserFactory

    batch = upload(client_for(maker), csv_file(f"Acme Surgicals,{setup['good'].pk},10.00,neft,,R-1")).json()
    client = (
        APIClient()
        if role == "anonymous"
        else client_for(UserFactory(hospital=hospital, roles=[role], branches=[branch]))
    )

    codes = [
        client.get(f"/api/payouts/batches/{batch['id']}").status_code,
        run_tasks(lambda: client.post(f"/api/payouts/batches/{batch['id']}/approve")).status_code,
        client.post(
            f"/api/payouts/batches/{batch['id']}/reject", {"reason": "No"}, format="json"
        ).status_code,
    ]

    assert codes == [detail, approve, reject]
