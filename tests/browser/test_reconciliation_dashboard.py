"""The reconciliation dashboard in Chromium: the SVG charts draw their bars, the cards show
the figures, the reports show and download as xlsx, and nothing breaks the
Content-Security-Policy (the `page` fixture fails the test on any violation)."""

from decimal import Decimal

import openpyxl
import pytest

from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.reconciliation.tests.dashboard_support import completed_run, open_discrepancy
from skinspire.reconciliation.tests.report_support import figures
from skinspire.workspace.tests.support import accounts_desk
from tests.browser.workspace_browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_dashboard_draws_its_charts_under_the_policy(live_server, page):
    desk = accounts_desk()
    configuration = GatewayConfigurationFactory(hospital=desk.hospital, name="Razorpay main")
    for days_ago, matched, fees in [(5, 90, "40.00"), (3, 95, "80.00"), (1, 99, "118.00")]:
        latest = completed_run(
            configuration, days_ago=days_ago, matched=matched, discrepancies=100 - matched, fees=fees
        )
    open_discrepancy(latest, summary="not settled 4 days later", fingerprint="a")
    assert latest.net == Decimal("0.00")

    log_in(page, live_server, desk.people["accountant"].username)
    page.click("nav.site-nav >> text=Reconciliation")
    page.wait_for_url(f"{live_server.url}/workspace/reconciliation/")

    assert page.locator("#card-matched").inner_text() == "99"
    assert page.locator("#card-match-rate").inner_text() == "99.00%"
    assert page.locator("#card-fees").inner_text() == "₹118.00"
    # Each card says what it counts; the open discrepancies have their own card.
    assert page.locator("#summary-cards .summary-card > span").all_inner_texts() == [
        "Matched rows", "Discrepancy rows", "Open discrepancies", "Match rate", "Fees on settlement lines",
    ]  # fmt: skip
    assert page.locator("#card-open-discrepancies").inner_text() == "1"
    assert page.locator("#cards-help").is_visible()
    assert page.locator("#open-discrepancies tbody tr").count() == 1
    for chart, bars in [("#chart-match-rate", 3), ("#chart-fees", 30)]:
        svg = page.locator(f"{chart} svg")
        assert svg.is_visible()
        box = svg.bounding_box()
        assert box["width"] > 300 and box["height"] > 100, box
        assert page.locator(f"{chart} rect.bar").count() == bars
    # The tallest fee bar really is drawn (fill from the stylesheet, a real height on screen).
    tallest = page.locator("#chart-fees rect.bar").nth(29 - 1)
    assert tallest.bounding_box()["height"] > 50
    fill = page.evaluate("() => getComputedStyle(document.querySelector('#chart-match-rate rect.bar')).fill")
    assert fill == "rgb(47, 111, 222)"
    assert page.csp_violations == []
    screenshot(page, "reconciliation-dashboard")


def test_the_reports_show_and_export_to_excel(live_server, page, tmp_path):
    desk = accounts_desk()
    figures(desk.hospital, desk.main)

    log_in(page, live_server, desk.people["accountant"].username)
    page.goto(f"{live_server.url}/workspace/reconciliation/")

    fees = page.locator("#report-fees tbody tr").first
    assert fees.locator("td").all_inner_texts()[:3] == ["Collections", "Razorpay", "upi"]
    assert fees.locator("td").all_inner_texts()[-2:] == ["2.36%", "0"]  # rate, fee not reported
    timeline = page.locator("#report-settlement-timeline tbody tr").first.locator("td").all_inner_texts()
    assert timeline == ["Collections", "Razorpay", "1", "0", "0", "1", "0", "0", "2.0", "2"]
    assert page.locator("#report-success-rate tbody tr").count() == 4
    assert page.locator("#report-fees td.amount").first.is_visible()

    with page.expect_download() as download:
        page.click("#report-success-rate >> text=Export to Excel")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("success-rate-") and saved.suffix == ".xlsx"
    rows = list(openpyxl.load_workbook(saved).active.iter_rows(min_row=3, values_only=True))
    assert rows[1][:3] == ("Collections", "Razorpay", "upi")
    assert page.csp_violations == []
    screenshot(page, "reconciliation-reports")


def test_on_a_phone_every_table_keeps_its_title_and_every_report_its_export_link_in_view(live_server, page):
    desk = accounts_desk()
    figures(desk.hospital, desk.main)
    page.set_viewport_size({"width": 390, "height": 844})

    log_in(page, live_server, desk.people["accountant"].username)
    page.goto(f"{live_server.url}/workspace/reconciliation/")

    # The wide tables scroll sideways in their own box; what names them and exports them
    # stays on the screen, not off to the right with the table's far columns.
    for name in ("fees", "settlement-timeline", "success-rate"):
        link = page.locator(f"#report-{name} a.report-export")
        box = link.bounding_box()  # where it is drawn, nothing scrolled sideways
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
        table = page.locator(f"#report-{name} table")
        assert table.get_attribute("aria-labelledby") == f"report-{name}-title"
    for title in ("latest-runs-title", "open-discrepancies-title"):
        box = page.locator(f"#{title}").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (title, box)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert page.csp_violations == []
    screenshot(page, "reconciliation-reports-phone")
