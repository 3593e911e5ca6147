"""Chromium reads the Permissions-Policy header as meant: every feature in it is off on a
patient's page, what the site uses (the workspace's copy buttons) is not, and no name in it is
unknown to the browser (an unknown one is a console warning on every page)."""

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_chromium_turns_off_every_feature_in_the_policy_and_knows_them_all(live_server, browser):
    context = browser.new_context()
    warnings: list[str] = []
    context.on(
        "console",
        lambda message: warnings.append(message.text) if "Permissions-Policy" in message.text else None,
    )
    try:
        page = context.new_page()
        answer = page.goto(f"{live_server.url}/pay/link/no-such-link")
        assert answer is not None and answer.status == 404
        allowed = page.evaluate("() => document.featurePolicy.allowedFeatures()")
        features = page.evaluate("() => document.featurePolicy.features()")
        geolocation = page.evaluate(
            """() => new Promise((done) => navigator.geolocation.getCurrentPosition(
                   () => done("granted"), (error) => done(error.code === error.PERMISSION_DENIED ? "denied" : "other")))"""
        )
    finally:
        context.close()

    denied = set(settings.PERMISSIONS_POLICY)
    assert denied <= set(features), "a feature Chromium does not know"
    assert denied.isdisjoint(allowed)
    assert "clipboard-write" in allowed
    assert geolocation == "denied"
    assert warnings == []
