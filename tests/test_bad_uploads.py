"""Every file upload the site takes (an accountant's settlement report in admin, a payout
batch through the API, which the workspace's batch page posts to), given files that are not
what their names say: a clear error (a form error or a 400), nothing created. And what the
Excel exports write: never a cell a spreadsheet would run as a formula.

The uploads are the only file fields: no model has a FileField or ImageField, and no other
form or serializer takes a file (tests/test_admin_bad_posts.py sweeps every admin form).
"""

import io
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from skinspire.core.models import User
from skinspire.gateways.models import GatewayConfiguration
from skinspire.payouts.models import PayoutBatch, SupplierAccount, SupplierPayment
from skinspire.reconciliation.models import Discrepancy, ReconciliationItem, ReconciliationRun
from skinspire.reconciliation.reports.base import Report
from skinspire.reconciliation.reports.excel import report_workbook
from skinspire.reconciliation.tests.test_report_files import PAYMENT, RAZORPAY_HEADER
from tests.admin_post_sweep import world

pytestmark = pytest.mark.django_db

BATCH_HEADER = "supplier,account,amount,mode,invoices,reference\n"
FORMULA = "=cmd|' /C calc'!A0"


def workbook(header: str, row: str) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(header.strip().split(","))
    book.active.append(row.split(","))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def rezipped(content: bytes, *, sheet: bytes | None = None, old: bytes = b"", new: bytes = b"") -> bytes:
    """The workbook with its first sheet's XML replaced, or edited."""
    source, output = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = sheet if sheet is not None else data.replace(old, new)
            target.writestr(member, data)
    return output.getvalue()


def hostile_files(header: str, row: str, text_cell: str) -> dict[str, bytes]:
    """Files each named for a format they are not, or broken inside; `text_cell` is a value
    of `row` that is free text, where the hostile text goes."""
    good_workbook = workbook(header, row)
    bomb_sheet = b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    bomb_sheet += b"0" * 30_000_000 + b"</t></is></c></row></sheetData></worksheet>"

    def with_cell(value: str) -> str:
        return header + row.replace(text_cell, value) + "\n"

    return {
        "empty.csv": b"",
        "garbage.csv": bytes(range(256)) * 8,
        "garbage.xlsx": bytes(range(256)) * 8,
        "long-field.csv": with_cell("y" * 200_000).encode(),  # past the csv module's field limit
        "one-long-line.csv": b"y" * 300_000,
        "nul.csv": with_cell("Be\x00d").encode(),
        "utf-16.csv": with_cell("Bëd").encode("utf-16"),
        "latin-1.csv": with_cell("Bëd").encode("latin-1"),
        "bomb.xlsx": rezipped(good_workbook, sheet=bomb_sheet),  # 30 MB of sheet in ~30 kB
        "corrupt.xlsx": b"PK\x03\x04" + b"\x00" * 200,
        "bad-xml.xlsx": rezipped(good_workbook, old=text_cell.encode(), new=b"B&#0;d"),
        "formula.csv": with_cell(FORMULA).encode(),
    }


def test_a_settlement_report_that_is_not_one_is_a_form_error_and_starts_no_run():
    """Before: a 200 kB field (csv.Error) and a workbook whose XML is broken (ParseError) were 500s."""
    others = world()
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="accountant"))
    own = (
        GatewayConfiguration.objects.without_secrets()
        .exclude(pk=others[GatewayConfiguration])
        .get(provider="razorpay")
    )
    url = reverse("admin:reconciliation_run_start")
    files = hostile_files(RAZORPAY_HEADER, PAYMENT, "Bed 4")
    answers = {}
    for name, content in files.items():
        data = {
            "configuration": own.pk,
            "run_date": "2026-04-11",
            "report": SimpleUploadedFile(name, content),
        }
        response = client.post(url, data)
        answers[name] = (
            response.status_code,
            bool(response.status_code == 200 and response.context["form"].errors),
        )

    # A gateway's report may carry what a patient typed in its free text (notes): it is kept as
    # text, and written inert in the exports (test below). NUL there is not stored. A long
    # note is read by PostgreSQL's COPY (staging.py), which has no field limit; elsewhere by
    # the csv module, whose limit makes it a form error.
    imported = {"formula.csv", "nul.csv"}
    long_note = answers.pop("long-field.csv")
    assert answers == {name: (302, False) if name in imported else (200, True) for name in answers}
    assert long_note in [(302, False), (200, True)]
    assert ReconciliationRun.objects.filter(trigger="upload").count() == len(imported) + (long_note[0] == 302)


def test_a_payout_batch_that_is_not_one_is_a_400_and_creates_nothing():
    """Before: NUL in a cell was a 500 (PostgreSQL refused the supplier lookup), as were a
    200 kB field and a workbook whose XML is broken; a formula was taken as a reference."""
    world()
    staff = User.objects.get(username="payments")
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    payments = SupplierPayment.objects.count()
    account = SupplierAccount.objects.filter(
        supplier__hospital=staff.hospital, approval_status="approved"
    ).first()
    SupplierAccount.objects.filter(pk=account.pk).update(payable_after=None)  # past its cooling-off
    row = f"{account.supplier.name},{account.pk},100.00,neft,,B-1"  # a row that would be paid
    files = hostile_files(BATCH_HEADER, row, account.supplier.name)
    files["formula-reference.csv"] = (BATCH_HEADER + row.replace("B-1", "=1+1") + "\n").encode()

    answers = {
        name: client.post(
            reverse("payouts-batch-list"), {"file": SimpleUploadedFile(name, content)}
        ).status_code
        for name, content in files.items()
    }

    assert answers == dict.fromkeys(files, 400)
    assert (PayoutBatch.objects.count(), SupplierPayment.objects.count()) == (0, payments)


def test_no_excel_export_writes_a_formula():
    world()
    run = ReconciliationRun.objects.get()
    Discrepancy.objects.update(summary="==1+1", resolution_note=FORMULA)
    ReconciliationItem.objects.update(reference='=HYPERLINK("http://evil.example")', rule="+1-1 @A1")
    client = Client()
    client.force_login(User.objects.get(username="accountant"))

    exported = [
        client.get(reverse(f"admin:reconciliation_{model}_export") + query).content
        for model, query in [("discrepancy", ""), ("reconciliationitem", f"?run__id__exact={run.pk}")]
    ]
    report = Report("fees", "Fees", date(2026, 4, 1), ("gateway", "fee"), [("=1+1", Decimal("2.50"))])
    exported.append(report_workbook(report))

    cells = [cell for content in exported for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows()
             for cell in row if cell.value is not None]  # fmt: skip
    assert not [cell.value for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells}
    assert {"'==1+1", "'" + FORMULA, '\'=HYPERLINK("http://evil.example")', "+1-1 @A1", "'=1+1"} <= texts
    assert {cell.data_type for cell in cells if cell.value in (Decimal("40.00"), 40, 2.5)} == {
        "n"
    }  # amounts stay numbers
