"""A login whose `next=` points off the site (an open-redirect attempt) is not followed, and
the staff member lands on the home page, not on Django's default /accounts/profile/, which
this site does not have (a 404 after a correct password)."""

import pytest

from skinspire.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "https:evil.example"]
)
def test_an_off_site_next_lands_on_the_home_page(client, target):
    UserFactory(username="asha")

    response = client.post(
        "/admin/login/", {"username": "asha", "password": "correct-horse-battery", "next": target}
    )

    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/").status_code == 200
