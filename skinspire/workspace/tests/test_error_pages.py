"""A page someone may not open, or that is not there, is the site's page: the layout, what
happened in words, and a way back. Django's defaults were a bare "403 Forbidden" or "Not
Found" with no navigation, and the reason a view gave (whose page it is) was dropped."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_page_not_for_your_role_says_whose_it_is_and_leads_home(client, desk):
    client.force_login(desk.people["payments"])

    response = client.get("/workspace/reconciliation/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>You cannot open this page</h1>" in page
    assert "This page is for: Accountant." in page
    assert 'class="site-nav"' in page and 'href="/">Home' in page


def test_a_missing_page_says_so_with_the_layout(client, desk):
    client.force_login(desk.people["payments"])

    response = client.get("/workspace/payouts/999999/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert 'class="site-nav"' in page and 'href="/">Home' in page
    assert "PatientPayment" not in page and "SupplierPayment" not in page  # no model names


def test_a_missing_page_for_someone_not_signed_in_offers_no_staff_navigation(db):
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert 'class="site-nav"' not in page


def test_a_server_error_page_renders_without_a_request(db):
    """Django renders 500.html with no context at all (the error may be in a context processor)."""
    from django.template.loader import render_to_string

    page = render_to_string("500.html")

    assert "<h1>Something went wrong</h1>" in page
