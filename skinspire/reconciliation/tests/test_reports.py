"""The enhanced reports, both directions: fees and GST by gateway, method and month with the
effective rate; the settlement timeline; success rates by gateway and mode. On the dashboard
and as xlsx, for accountants only, of their hospital only."""

import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.core.tests.factories import BranchFactory, HospitalFactory
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.reconciliation.reports import fee_summary, settlement_timeline, success_rates
from skinspire.reconciliation.reports.windows import report_since
from skinspire.reconciliation.tests.report_support import figures
from skinspire.workspace.tests.support import accounts_desk

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def desk():
    desk = accounts_desk()
    figures(desk.hospital, desk.main)
    other = HospitalFactory()
    figures(other, BranchFactory(hospital=other))  # another hospital's: never in these reports
    return desk


def report_args(desk, days: int = 90):
    return {
        "user": desk.people["accountant"],
        "hospital": desk.hospital,
        "since": timezone.localdate() - timedelta(days=days),
    }


def test_fees_and_gst_by_gateway_method_and_month(desk):
    month = timezone.localdate().strftime("%Y-%m")

    report = fee_summary(**report_args(desk))

    assert report.rows == [
        (
            "Collections",
            "Razorpay",
            "upi",
            month,
            2,
            D("1500.00"),
            D("30.00"),
            D("5.40"),
            D("35.40"),
            D("2.36"),
            0,
        ),
        (
            "Payouts",
            "Razorpay",
            "IMPS",
            month,
            1,
            D("2400.00"),
            D("5.00"),
            D("0.90"),
            D("5.90"),
            D("0.25"),
            0,
        ),
    ]


def test_a_payment_whose_fee_the_gateway_has_not_reported_is_counted_apart(desk):
    """Paytm reports no fee on a payment (status API, webhook), only on its settlement lines:
    until a run takes it from there (tests/test_end_to_end_reconciliation_fees.py) the sums
    count ₹0.00 for it, and the last column says how many such there are."""
    payment = PatientPaymentFactory(
        bill=BillFactory(hospital=desk.hospital, branch=desk.main, amount=D("1500.00")),
        configuration=GatewayConfigurationFactory(hospital=desk.hospital, paytm=True),
        amount=D("1500.00"), status="captured", method="upi", captured_at=timezone.now(),
    )  # fmt: skip

    report = fee_summary(**report_args(desk))

    paytm = next(row for row in report.rows if row[1] == "Paytm")
    assert paytm[4:] == (1, payment.amount, D("0.00"), D("0.00"), D("0.00"), D("0.00"), 1)


def test_the_fee_report_says_on_the_page_what_it_covers_and_why_the_runs_fees_differ(client, desk):
    client.force_login(desk.people["accountant"])

    html = client.get("/workspace/reconciliation/").content.decode()

    note = html.split('id="report-fees-note">')[1].split("</p>")[0]
    assert "by the month it was captured" in note
    assert "fees on the gateway&#x27;s lines of one settlement date, refunds and payouts included" in note
    assert (
        "a Paytm payment is counted there until a reconciliation run matches it with its line by Paytm&#x27;s id"
        in note
    )
    assert (
        "&#x27;Fee not reported&#x27; counts the transactions whose fee the gateway has not reported" in note
    )
    assert '<th scope="col">Fee not reported</th>' in html


def test_settlement_timeline_in_days(desk):
    report = settlement_timeline(**report_args(desk))

    assert report.headers[2:8] == ("Settled", "Same day", "1 day", "2 days", "3 days", "4+ days")
    assert report.rows == [("Collections", "Razorpay", 1, 0, 0, 1, 0, 0, D("2.0"), 2)]


def test_success_rate_by_gateway_and_mode(desk):
    report = success_rates(**report_args(desk))

    assert report.rows == [
        ("Collections", "Razorpay", "card", 1, 0, 0, 1, None),
        ("Collections", "Razorpay", "upi", 3, 2, 1, 0, D("66.67")),
        ("Payouts", "Razorpay", "IMPS", 1, 1, 0, 0, D("100.00")),
        ("Payouts", "Razorpay", "NEFT", 1, 0, 1, 0, D("0.00")),
    ]


def test_the_windows():
    today = timezone.localdate().replace(year=2026, month=3, day=15)
    assert report_since("fees", today=today).isoformat() == "2025-04-01"
    assert report_since("success-rate", today=today) == today - timedelta(days=90)


def test_the_dashboard_shows_the_reports(client, desk):
    client.force_login(desk.people["accountant"])

    response = client.get("/workspace/reconciliation/")

    assert [report.name for report in response.context["reports"]] == [
        "fees",
        "settlement-timeline",
        "success-rate",
    ]
    html = response.content.decode()
    assert 'href="/workspace/reconciliation/reports/fees.xlsx"' in html
    assert '<td class="amount">₹1,500.00</td>' in html and '<td class="amount">2.36%</td>' in html


def test_a_report_exported_to_excel(client, desk):
    client.force_login(desk.people["accountant"])

    response = client.get("/workspace/reconciliation/reports/fees.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="fees-{timezone.localdate().isoformat()}.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("Direction", "Gateway", "Method", "Month", "Transactions", "Amount", "Fees less GST", "GST",
                       "Fees with GST", "Effective rate %", "Fee not reported")  # fmt: skip
    assert rows[2][:5] == ("Collections", "Razorpay", "upi", timezone.localdate().strftime("%Y-%m"), 2)
    assert [D(str(value)) for value in rows[2][5:]] == [D("1500"), D("30"), D("5.4"), D("35.4"), D("2.36"), 0]
    assert sheet.cell(row=3, column=6).number_format == "#,##0.00"
    assert len(rows) == 4


@pytest.mark.parametrize("person, status", [("payments", 403), ("approver", 403), ("gatewayadmin", 403)])
def test_other_roles_get_no_report(client, desk, person, status):
    client.force_login(desk.people[person])

    assert client.get("/workspace/reconciliation/reports/fees.xlsx").status_code == status


def test_an_unknown_report_is_404(client, desk):
    client.force_login(desk.people["accountant"])

    assert client.get("/workspace/reconciliation/reports/everything.xlsx").status_code == 404


def test_another_hospitals_accountant_never_gets_this_hospitals_figures(client, desk):
    """Hospital B (no figures of its own): its accountant's reports are empty, whatever hospital
    their session names and whatever hospital a report is asked for."""
    elsewhere = accounts_desk("Hospital B")
    outsider = elsewhere.people["accountant"]
    client.force_login(outsider)
    session = client.session
    session["workspace_scope"] = {"hospital": desk.hospital.pk, "branch": None}  # hand-edited
    session.save()

    for name in ("fees", "settlement-timeline", "success-rate"):
        response = client.get(f"/workspace/reconciliation/reports/{name}.xlsx")
        assert response.status_code == 200
        rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert len(rows) == 2, (name, rows)  # the title and the headers: nothing of hospital A
    dashboard = client.get("/workspace/reconciliation/")
    assert desk.hospital.name not in dashboard.content.decode()
    since = timezone.localdate() - timedelta(days=90)
    for report in (fee_summary, settlement_timeline, success_rates):
        assert report(user=outsider, hospital=desk.hospital, since=since).rows == []


def test_a_superuser_gets_every_report(client, desk):
    client.force_login(desk.people["superuser"])

    for name in ("fees", "settlement-timeline", "success-rate"):
        assert client.get(f"/workspace/reconciliation/reports/{name}.xlsx").status_code == 200


def test_fees_of_many_payments_are_summed_to_the_paisa_and_shown(client):
    """SQLite (`make run`'s default) sums decimals as floating point: a hundred fees of ₹35.40
    came back as 3540.00000000001, and the dashboard answered 500 (MoneyError in format_inr),
    found by bench/soak_embedded.py. PostgreSQL sums exactly; both must show whole paise."""
    desk = accounts_desk()
    configuration = GatewayConfigurationFactory(hospital=desk.hospital, name="Razorpay main")
    bill = BillFactory(hospital=desk.hospital, branch=desk.main, amount=D("10000.00"))
    for number in range(100):
        PatientPaymentFactory(
            bill=bill, configuration=configuration, amount=D("100.00"), status="captured", method="upi",
            fee=D("35.40"), tax=D("5.40"), captured_at=timezone.now(), gateway_payment_id=f"pay_many_{number}",
        )  # fmt: skip

    report = fee_summary(**report_args(desk))

    month = timezone.localdate().strftime("%Y-%m")
    assert report.rows == [
        ("Collections", "Razorpay", "upi", month, 100, D("10000.00"), D("3000.00"), D("540.00"), D("3540.00"),
         D("35.40"), 0),
    ]  # fmt: skip
    assert [str(value) for value in report.rows[0][5:9]] == ["10000.00", "3000.00", "540.00", "3540.00"]
    client.force_login(desk.people["accountant"])
    response = client.get("/workspace/reconciliation/")
    assert response.status_code == 200
    assert '<td class="amount">₹3,540.00</td>' in response.content.decode()
