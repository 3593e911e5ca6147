"""The token endpoint allows 10 requests a minute per client, whatever X-Forwarded-For says."""

import pytest

from skinspire.core.tests.factories import UserFactory

TOKEN_URL = "/api/auth/token/"
CREDENTIALS = {"username": "asha", "password": "correct-horse-battery"}


def statuses(api_client, count: int, forwarded_for) -> list[int]:
    """`count` good logins, the i-th sending X-Forwarded-For `forwarded_for(i)`."""
    return [
        api_client.post(
            TOKEN_URL, CREDENTIALS, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for(i)
        ).status_code
        for i in range(count)
    ]


@pytest.mark.parametrize(
    ("proxy_count", "forwarded_for"),
    [
        # No trusted proxy: the header is the client's own invention and ignored.
        (0, lambda i: f"198.51.100.{i}"),
        # One proxy appends the real client (203.0.113.9); the client's own entries sit to its left.
        (1, lambda i: f"198.51.100.{i}, 203.0.113.9"),
    ],
)
def test_eleventh_request_in_a_minute_is_throttled_even_with_a_new_forwarded_for(
    api_client, db, settings, proxy_count, forwarded_for
):
    settings.TRUSTED_PROXY_COUNT = proxy_count
    UserFactory(username="asha")

    answered = statuses(api_client, 12, forwarded_for)

    assert answered == [200] * 10 + [429, 429]
    throttled = api_client.post(
        TOKEN_URL, CREDENTIALS, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for(99)
    )
    assert throttled.status_code == 429
    assert throttled.json()["message"].startswith("Request was throttled.")
    assert 0 < int(throttled["Retry-After"]) <= 60


def test_another_client_behind_the_same_proxy_has_its_own_allowance(api_client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="asha")
    assert statuses(api_client, 11, lambda i: "203.0.113.9")[-1] == 429

    assert statuses(api_client, 1, lambda i: "203.0.113.10") == [200]


def test_bad_requests_count_too(api_client, db):
    answered = [api_client.post(TOKEN_URL, {"username": "asha"}).status_code for _ in range(11)]
    assert answered == [400] * 10 + [429]
