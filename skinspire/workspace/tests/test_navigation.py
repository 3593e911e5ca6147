"""Each role's navigation: exactly its pages, the current one marked."""

import re

import pytest

from skinspire.core.tests.factories import UserFactory
from skinspire.workspace.tests.support import accounts_desk

pytestmark = pytest.mark.django_db

HOME = ("Home", "/")
CONFIGURATIONS = ("Gateway configurations", "/admin/gateways/gatewayconfiguration/")
TRANSACTION_LOG = ("Gateway transaction log", "/admin/gateways/gatewaytransactionlog/")
JOURNAL = ("Journal entries", "/admin/ledger/journalentry/")
PAYOUTS = ("Supplier payments", "/workspace/payouts/")
APPROVALS = ("Approvals", "/workspace/payouts/approvals/")
PATIENTS = ("Patient payments", "/workspace/patient-payments/")
RECORD = ("Record a payment", "/workspace/payouts/new/")
BILLS = ("Bills", "/workspace/bills/")
BATCHES = ("Batch payouts", "/workspace/payouts/batches/")
RECONCILIATION = ("Reconciliation", "/workspace/reconciliation/")

EXPECTED = {
    "payments": [HOME, PAYOUTS, RECORD, BATCHES, BILLS, PATIENTS],
    "approver": [HOME, PAYOUTS, APPROVALS, BATCHES],
    "accountant": [HOME, PAYOUTS, BATCHES, BILLS, PATIENTS, TRANSACTION_LOG, JOURNAL, RECONCILIATION],
    "gatewayadmin": [HOME, CONFIGURATIONS, TRANSACTION_LOG],
    "superuser": [
        HOME,
        PAYOUTS,
        RECORD,
        APPROVALS,
        BATCHES,
        BILLS,
        PATIENTS,
        CONFIGURATIONS,
        TRANSACTION_LOG,
        JOURNAL,
        RECONCILIATION,
    ],
}


def nav_links(html: str) -> list[tuple[str, str]]:
    nav = re.findall(r'<nav class="site-nav" aria-label="Workspace">(.*?)</nav>', html, re.S)[0]
    return [(title, url) for url, title in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)]


@pytest.mark.parametrize("person", list(EXPECTED))
def test_each_role_sees_exactly_its_pages_and_every_link_opens(client, person):
    client.force_login(accounts_desk().people[person])
    html = client.get("/").content.decode()
    assert nav_links(html) == EXPECTED[person]
    assert '<a href="/" aria-current="page">Home</a>' in html
    if PAYOUTS in EXPECTED[person]:
        payouts_page = client.get("/workspace/payouts/").content.decode()
        assert '<a href="/workspace/payouts/" aria-current="page">Supplier payments</a>' in payouts_page
    if APPROVALS in EXPECTED[person]:
        approvals_page = client.get("/workspace/payouts/approvals/").content.decode()
        assert '<a href="/workspace/payouts/approvals/" aria-current="page">Approvals</a>' in approvals_page
        assert '<a href="/workspace/payouts/">Supplier payments</a>' in approvals_page
    for _, url in EXPECTED[person]:
        assert client.get(url).status_code == 200


def test_someone_without_a_role_sees_only_home(client):
    client.force_login(UserFactory(is_staff=False))
    assert nav_links(client.get("/").content.decode()) == []


def test_the_layout_has_a_skip_link_to_main_and_labelled_scope_select(client):
    client.force_login(accounts_desk().people["payments"])
    html = client.get("/").content.decode()
    assert html.index('<a class="skip-link" href="#main">Skip to main content</a>') < html.index("<header")
    assert '<main id="main" tabindex="-1">' in html
    assert '<label for="scope-select">Working in</label>' in html
    assert '<select id="scope-select" name="scope">' in html


@pytest.mark.parametrize("person", list(EXPECTED))
def test_home_lists_the_persons_workspace_pages(client, person):
    client.force_login(accounts_desk().people[person])
    html = client.get("/").content.decode()
    card = re.search(r'<ul class="places" id="work-links">(.*?)</ul>', html, re.S).group(1)
    links = [(title, url) for url, title in re.findall(r'<a href="([^"]+)">([^<]+)</a>', card)]
    assert links == [link for link in EXPECTED[person] if link != HOME]


def test_the_workspace_address_alone_leads_home(client):
    client.force_login(accounts_desk().people["payments"])
    response = client.get("/workspace/", follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "Welcome, payments" in response.content.decode()
