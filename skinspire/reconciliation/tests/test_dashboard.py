"""The reconciliation dashboard: accountants and superusers only, their hospital's runs only,
the latest runs' figures, the open discrepancies (masked) and 30 days of SVG charts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.reconciliation.models import Discrepancy
from skinspire.reconciliation.services.discrepancies import discrepancy_resolve
from skinspire.reconciliation.tests.dashboard_support import completed_run, open_discrepancy
from skinspire.workspace.tests.support import accounts_desk

pytestmark = pytest.mark.django_db

URL = "/workspace/reconciliation/"


@pytest.fixture
def desk():
    return accounts_desk()


@pytest.fixture
def runs(desk):
    razorpay = GatewayConfigurationFactory(hospital=desk.hospital, name="Razorpay main")
    paytm = GatewayConfigurationFactory(hospital=desk.hospital, name="Paytm main", paytm=True)
    completed_run(razorpay, days_ago=3, matched=10, discrepancies=10, fees="5.00")
    latest = completed_run(
        razorpay, days_ago=1, matched=96, discrepancies=4, fees="118.00", net=Decimal("9000.00")
    )
    completed_run(paytm, days_ago=2, matched=49, discrepancies=1, fees="23.60")
    completed_run(paytm, days_ago=40, matched=1, discrepancies=0, fees="999.00")  # outside the 30 days
    # A superseded run is history: neither its figures nor its day count.
    completed_run(paytm, days_ago=1, matched=0, discrepancies=50, fees="77.00", status="superseded")
    open_discrepancy(latest, summary="Paid to account 123456789012, not settled", fingerprint="a")
    resolved = open_discrepancy(latest, summary="resolved one", fingerprint="b")
    Discrepancy.objects.filter(pk=resolved.pk).update(status="resolved")
    # Another hospital's run and discrepancy: never on this hospital's dashboard.
    other = accounts_desk("Other Hospital")
    foreign = completed_run(
        GatewayConfigurationFactory(hospital=other.hospital, name="Foreign gateway"),
        days_ago=1,
        matched=1,
        discrepancies=1,
        fees="1000.00",
    )
    open_discrepancy(foreign, summary="foreign discrepancy", fingerprint="c")
    return latest


@pytest.mark.parametrize("person", ["accountant", "superuser"])
def test_accountants_and_superusers_see_the_dashboard(client, desk, runs, person):
    client.force_login(desk.people[person])

    response = client.get(URL)

    assert response.status_code == 200
    assert response.templates[0].name == "reconciliation/dashboard.html"
    page = response.content.decode()
    assert '<a href="/admin/reconciliation/reconciliationrun/start/" id="start-run">Start a run</a>' in page


@pytest.mark.parametrize("person", ["payments", "approver", "gatewayadmin"])
def test_other_roles_are_refused(client, desk, person):
    client.force_login(desk.people[person])

    assert client.get(URL).status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].endswith(f"?next={URL}")


def test_the_cards_add_up_the_latest_run_of_each_configuration(client, desk, runs):
    client.force_login(desk.people["accountant"])

    context = client.get(URL).context
    summary = context["summary"]

    assert [(run.configuration.name, run.matched_count) for run in summary.runs] == [
        ("Paytm main", 49),
        ("Razorpay main", 96),
    ]
    # 145 matched of 150 rated rows (expected rows are not rated).
    assert (summary.matched, summary.discrepancies, summary.match_rate, summary.fees) == (
        145,
        5,
        Decimal("96.67"),
        Decimal("141.60"),
    )
    page = client.get(URL).content.decode()
    assert '<strong id="card-matched">145</strong>' in page
    assert '<strong id="card-discrepancies">5</strong>' in page
    assert '<strong id="card-match-rate">96.67%</strong>' in page
    assert '<strong id="card-fees">₹141.60</strong>' in page


def test_open_discrepancies_of_this_hospital_only_with_account_numbers_masked(client, desk, runs):
    client.force_login(desk.people["accountant"])

    response = client.get(URL)

    page = response.content.decode()
    assert response.context["discrepancy_total"] == 1
    assert [summary for _, summary in response.context["discrepancies"]] == [
        "Paid to account XXXX9012, not settled"
    ]
    assert "Paid to account XXXX9012, not settled" in page
    assert "123456789012" not in page
    assert "foreign discrepancy" not in page
    assert "Foreign gateway" not in page
    assert "resolved one" not in page


def test_the_charts_have_a_bar_per_day_with_runs_in_the_last_30_days(client, desk, runs):
    client.force_login(desk.people["accountant"])
    today = timezone.localdate()

    context = client.get(URL).context

    rate_titles = [bar.title for bar in context["rate_chart"].bars]
    fee_bars = {bar.title: bar for bar in context["fee_chart"].bars}
    day = lambda ago: (today - timedelta(days=ago)).isoformat()  # noqa: E731
    assert rate_titles == [f"{day(3)}: 50.00%", f"{day(2)}: 98.00%", f"{day(1)}: 96.00%"]
    # Every day of the 30 has a fee bar (zero where nothing ran); the tallest is the top.
    assert len(fee_bars) == 30
    assert fee_bars[f"{day(1)}: ₹118.00"].height == 180.0
    assert fee_bars[f"{day(2)}: ₹23.60"].height == 36.0
    assert fee_bars[f"{day(0)}: ₹0.00"].height == 0.0
    assert context["fee_chart"].ticks[-1].label == "₹118.00"


def test_a_hospital_without_runs_gets_an_empty_dashboard(client, desk):
    client.force_login(desk.people["accountant"])

    response = client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "No completed reconciliation runs yet." in page
    assert "No open discrepancies." in page
    assert response.context["rate_chart"].bars == []


def test_a_run_with_nothing_rated_shows_no_match_rate_in_the_table_as_on_the_card(client, desk):
    """The engine stores 100% for a run with nothing to rate (a quiet day, or only payments still
    inside the settlement cycle); the card said "—" and the table beside it "100.00%"."""
    from skinspire.reconciliation.models import ReconciliationRun

    configuration = GatewayConfigurationFactory(hospital=desk.hospital, name="Quiet gateway")
    ReconciliationRun.objects.create(
        hospital_id=desk.hospital.pk,
        configuration=configuration,
        run_date=timezone.localdate() - timedelta(days=1),
        trigger="schedule",
        status="completed",
        category_counts={"matched": 0, "expected": 3},
        match_rate=Decimal("1.0000"),
    )
    client.force_login(desk.people["accountant"])

    html = client.get(URL).content.decode()

    assert '<strong id="card-match-rate">—</strong>' in html
    row = html[html.index('id="latest-runs"') :]
    row = row[row.index("Quiet gateway") : row.index("</tr>", row.index("Quiet gateway"))]
    assert '<td class="amount">—</td>' in row and "100.00%" not in row


def test_the_cards_say_what_they_count_and_the_open_discrepancies_card_falls_on_resolving(client, desk, runs):
    """An accountant read "Matched 145" as pairs and saw no card move after resolving one: the
    cards say rows, and the open discrepancies (the table's count below) is a card of its own.
    The fees card and the fee report each say what they add up, so their totals can differ."""
    client.force_login(desk.people["accountant"])
    page = client.get(URL).content.decode()
    cards = page.split('id="summary-cards">')[1].split('<p class="muted table-title"')[0]

    labels = [part.split("</span>")[0] for part in cards.split('<span class="muted">')[1:]]
    assert labels == ["Matched rows", "Discrepancy rows", "Open discrepancies", "Match rate",
                      "Fees on settlement lines"]  # fmt: skip
    assert "both sides: a pair is 2" in cards
    assert '<strong id="card-open-discrepancies">1</strong>' in cards  # of this hospital, open only
    assert "one payment matched to its settlement line is 2 matched rows" in cards
    assert "refunds and payouts included" in cards and "by the month it was" in cards

    discrepancy_resolve(
        discrepancy=Discrepancy.objects.get(hospital=desk.hospital, status="open"),
        actor=desk.people["accountant"], resolution="written_off", note="Bank charge, written off",
    )  # fmt: skip

    after = client.get(URL).content.decode()
    assert '<strong id="card-open-discrepancies">0</strong>' in after
    assert '<strong id="card-discrepancies">5</strong>' in after  # as the runs found them
