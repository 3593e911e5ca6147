"""A form refused by the CSRF check gets the site's page, under the site's policy: Django's
own page styled itself with an inline <style>, which the Content-Security-Policy refuses (a
violation on every such 403), and said "CSRF verification failed" to staff and patients."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

POLICY = "default-src 'self'"


def test_a_form_without_its_token_gets_the_sites_page():
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "asha", "password": "x"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>The form could not be sent</h1>" in page
    assert "reload the page and send the form again" in page
    assert 'rel="stylesheet" href="/static/skinspire/site.css"' in page
    assert "<style" not in page and "style=" not in page
    assert "CSRF" not in page
    assert POLICY in response["Content-Security-Policy"]
