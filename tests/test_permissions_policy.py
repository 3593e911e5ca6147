"""Every answer carries one Permissions-Policy that turns off the browser features no page
uses: patient pages, staff pages, the API, the webhook receivers, redirects and every error
page (400, 403 for CSRF, 404, 500)."""

import pytest
from django.test import Client, override_settings
from django.urls import include, path

pytestmark = pytest.mark.django_db

POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), "
    "display-capture=(), encrypted-media=(), geolocation=(), gyroscope=(), hid=(), "
    "idle-detection=(), local-fonts=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "publickey-credentials-create=(), publickey-credentials-get=(), screen-wake-lock=(), "
    "serial=(), usb=(), window-management=(), xr-spatial-tracking=()"
)


def broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken_view), path("", include("skinspire.urls"))]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/admin/login/", 200),
        ("get", "/admin/", 302),
        ("get", "/pay/link/no-such-link", 404),
        ("post", "/pay/checkout/PAY-NOSUCH/return", 404),
        ("get", "/api/bills", 401),
        ("post", "/api/gateway/webhook/razorpay", 401),  # the receivers' own fast path
        ("get", "/no-such-page/", 404),
        ("get", "/pay/link/a%00b", 400),
    ],
)
def test_every_kind_of_answer_carries_the_policy(method, path, status):
    response = getattr(Client(), method)(path)

    assert response.status_code == status
    assert response["Permissions-Policy"] == POLICY


def test_a_form_refused_by_the_csrf_check_carries_the_policy():
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    assert response["Permissions-Policy"] == POLICY


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_page_carries_the_policy():
    response = Client(raise_request_exception=False).get("/broken/")

    assert response.status_code == 500
    assert b"<h1>Something went wrong</h1>" in response.content
    assert response["Permissions-Policy"] == POLICY


def test_the_policy_follows_the_setting(settings):
    settings.PERMISSIONS_POLICY = {"camera": [], "fullscreen": ["self", "https://hospital.example"]}

    response = Client().get("/admin/login/")

    assert response["Permissions-Policy"] == 'camera=(), fullscreen=(self "https://hospital.example")'
