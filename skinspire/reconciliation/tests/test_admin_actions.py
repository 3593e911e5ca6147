"""Accountants in admin: start a run (fetched or from a report file), resolve discrepancies
with a reason, export to Excel with account numbers masked and nothing of another hospital."""

import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from skinspire.core.models import AuditEntry
from skinspire.core.roles import ROLE_ACCOUNTANT
from skinspire.core.tests.factories import HospitalFactory
from skinspire.reconciliation.models import Discrepancy, ReconciliationRun
from skinspire.reconciliation.services.discrepancies import ACTION_RESOLVE
from skinspire.reconciliation.tests import sandbox_support
from skinspire.reconciliation.tests.admin_support import DAY, finished_run, user_with

pytestmark = pytest.mark.django_db

START = reverse("admin:reconciliation_run_start")
DISCREPANCIES = reverse("admin:reconciliation_discrepancy_changelist")
REPORT = (
    "entity_id,type,amount,fee,tax,created_at,settled_at,settlement_id,settlement_utr,order_receipt\n"
    "pay_ok,payment,100.00,2.36,0.36,2026-04-20 10:00:00,2026-04-20 18:00:00,setl_9,UTR9,BILL-1\n"
)


@pytest.fixture
def accountant(client, hospital):
    user = user_with(ROLE_ACCOUNTANT, hospital)
    client.force_login(user)
    return user


def test_start_a_run_fetching_the_gateways_settlement(client, accountant, configuration, our_payment):
    today = sandbox_support.today()
    payment_id = sandbox_support.razorpay_pay(configuration, amount=Decimal("500.00"), receipt="BILL-1")
    sandbox_support.settle_now(configuration)
    our_payment(gateway_id=payment_id, amount=Decimal("500.00"), expected_fee=Decimal("11.80"), paid_on=today)

    response = client.post(
        START, {"configuration": configuration.pk, "run_date": today.isoformat()}, follow=True
    )

    run = ReconciliationRun.objects.get()
    assert response.redirect_chain == [
        (reverse("admin:reconciliation_reconciliationrun_change", args=[run.pk]), 302)
    ]
    assert (run.status, run.trigger, run.started_by, run.matched_count) == (
        "completed",
        "manual",
        accountant,
        2,
    )
    assert [str(message) for message in response.context["messages"]] == [
        f"Run #{run.pk} for {today}: 2 matched, 0 discrepancies, match rate 100.00%."
    ]


def test_a_run_for_a_date_still_to_come_is_refused(client, accountant, configuration):
    """A settlement of a date to come cannot exist: a run of it (a typing slip: 2026-12-25 for
    2026-11-25) completed empty at "100.00%" and became the configuration's latest run on the
    dashboard, hiding the real latest run and its discrepancies."""
    tomorrow = sandbox_support.today() + timedelta(days=1)

    response = client.post(START, {"configuration": configuration.pk, "run_date": tomorrow.isoformat()})

    assert response.status_code == 200
    assert response.context["form"].errors["run_date"] == [
        f"A settlement date cannot be after today ({sandbox_support.today():%-d %b %Y}, India time)."
    ]
    assert not ReconciliationRun.objects.exists()


def test_start_a_run_from_an_uploaded_report(client, accountant, configuration, our_payment):
    our_payment(gateway_id="pay_ok", amount=Decimal("100.00"), expected_fee=Decimal("2.36"), paid_on=DAY)
    report = SimpleUploadedFile("razorpay-recon.csv", REPORT.encode(), content_type="text/csv")

    response = client.post(
        START, {"configuration": configuration.pk, "run_date": DAY.isoformat(), "report": report}
    )

    run = ReconciliationRun.objects.get()
    assert response.status_code == 302
    assert (run.trigger, run.report_file_name, run.category_counts["matched"], run.fees) == (
        "upload",
        "razorpay-recon.csv",
        2,
        Decimal("2.36"),
    )


def test_a_report_with_bad_rows_starts_nothing_and_lists_every_error(client, accountant, configuration):
    bad = REPORT.replace("100.00", "1OO").replace("payment", "bonus")
    report = SimpleUploadedFile("recon.csv", bad.encode(), content_type="text/csv")

    response = client.post(
        START, {"configuration": configuration.pk, "run_date": DAY.isoformat(), "report": report}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["report"] == [
        "1 row of 'recon.csv' has errors; nothing was imported. Correct them and upload the file again.",
        "line 2, type: 'bonus' is not a type this report has (adjustment, payment, refund, transfer)",
        "line 2, amount: '1OO' is not an amount in rupees with at most 2 decimal places",
    ]
    assert ReconciliationRun.objects.count() == 0


def test_resolve_asks_for_a_reason_then_resolves_and_audits(client, accountant, configuration):
    finished_run(configuration)
    discrepancy = Discrepancy.objects.get()
    chosen = {"action": "resolve", "_selected_action": [discrepancy.pk]}

    asked = client.post(DISCREPANCIES, chosen)
    refused = client.post(DISCREPANCIES, {**chosen, "resolution": "written_off", "note": "   "})
    assert (asked.status_code, refused.status_code) == (200, 200)
    assert refused.context["form"].errors == {"note": ["This field is required."]}
    discrepancy.refresh_from_db()
    assert discrepancy.status == "open"

    done = client.post(
        DISCREPANCIES, {**chosen, "resolution": "written_off", "note": "Bank says never paid"}, follow=True
    )

    discrepancy.refresh_from_db()
    assert (discrepancy.status, discrepancy.resolution, discrepancy.resolved_by) == (
        "resolved",
        "written_off",
        accountant,
    )
    assert [str(message) for message in done.context["messages"]] == [
        "1 resolved, 0 left as they were (not open)."
    ]
    assert AuditEntry.objects.get(action=ACTION_RESOLVE).message == "Bank says never paid"


def sheet_rows(response) -> list[tuple]:
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


def test_discrepancy_export_is_excel_masked_and_of_this_hospital_only(client, accountant, configuration):
    finished_run(configuration)
    finished_run(sandbox_support.razorpay_configuration(HospitalFactory()))
    Discrepancy.objects.filter(configuration=configuration).update(
        resolution_note="Paid from 123456789012 by hand"
    )

    rows = sheet_rows(client.get(reverse("admin:reconciliation_discrepancy_export")))

    header, *data = rows
    assert header[:6] == ("id", "run_date", "configuration", "provider", "category", "status")
    assert len(data) == 1
    record = dict(zip(header, data[0], strict=True))
    assert (record["configuration"], record["provider"], record["category"]) == (
        configuration.name,
        "razorpay",
        "missing_at_gateway",
    )
    assert record["resolution_note"] == "Paid from XXXX9012 by hand"
    flat = " ".join(str(value) for row in rows for value in row)
    assert configuration.key_id not in flat
    assert configuration.account_number not in flat


def test_each_export_names_its_sheet_and_writes_run_dates_as_dates(client, accountant, configuration):
    run = finished_run(configuration)
    exports = {
        "reconciliationrun": "Reconciliation runs",
        "reconciliationitem": "Reconciliation items",
        "discrepancy": "Discrepancies",
    }

    for model_name, title in exports.items():
        response = client.get(reverse(f"admin:reconciliation_{model_name}_export"))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet.title == title
        header = [cell.value for cell in sheet[1]]
        run_date = sheet.cell(row=2, column=header.index("run_date") + 1)
        # A date cell Excel sorts and filters by, not the text "2026-...".
        assert (run_date.is_date, run_date.value.date()) == (True, run.run_date), model_name


def test_item_export_follows_the_changelist_filters(client, accountant, configuration):
    run = finished_run(configuration, lost_reference="Acct 998877665544")

    rows = sheet_rows(
        client.get(
            reverse("admin:reconciliation_reconciliationitem_export") + "?category__exact=missing_at_gateway"
        )
    )

    header, only = rows
    record = dict(zip(header, only, strict=True))
    assert (record["run"], record["category"], record["reference"], record["amount"]) == (
        run.pk,
        "missing_at_gateway",
        "Acct XXXX5544",
        40,  # an Excel number
    )
