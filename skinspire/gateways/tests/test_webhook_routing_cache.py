"""The receiver's per-process routing cache: one configuration query per merchant account
per GATEWAY_WEBHOOK_ROUTING_CACHE_SECONDS, a change saved in this process seen by the very
next delivery, a change made elsewhere seen once the entry lapses, and each hospital's
secret still validating only its own configuration's deliveries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.services import gateway_configuration_update
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.webhook_support import (
    RAZORPAY_URL,
    post,
    razorpay_headers,
    razorpay_payout_envelope,
)
from skinspire.gateways.webhooks import routing

pytestmark = pytest.mark.django_db

ACCOUNT = "acc_RoutingCach001"
OTHER_ACCOUNT = "acc_RoutingCach002"
SECRET = "routing_cache_whsec_0001"
OTHER_SECRET = "routing_cache_whsec_0002"
NEW_SECRET = "routing_cache_whsec_0003"
CONFIGURATION_TABLE = GatewayConfiguration._meta.db_table


@pytest.fixture
def configuration(hospital):
    return GatewayConfigurationFactory(hospital=hospital, merchant_id=ACCOUNT, razorpay_webhook_secret=SECRET)


@pytest.fixture
def clock(monkeypatch):
    """routing's monotonic clock, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(routing.time, "monotonic", lambda: now[0])
    return now


def deliver(client, event_id: str, *, secret: str = SECRET, account: str = ACCOUNT) -> int:
    body = razorpay_payout_envelope(account_id=account, reference=event_id, status="processed")
    return post(
        client, RAZORPAY_URL, body, razorpay_headers(body, secret=secret, event_id=event_id)
    ).status_code


def configuration_queries(client, event_id: str, **kwargs) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = deliver(client, event_id, **kwargs)
    return status, sum(CONFIGURATION_TABLE in query["sql"] for query in queries.captured_queries)


def test_the_route_is_read_once_and_reused(client, configuration, settings, clock):
    settings.GATEWAY_WEBHOOK_ROUTING_CACHE_SECONDS = 2

    first = configuration_queries(client, "EvtRoute000001")
    second = configuration_queries(client, "EvtRoute000002")
    clock[0] += 2.5
    lapsed = configuration_queries(client, "EvtRoute000003")

    # The first delivery reads the route and builds the adapter (credentials, previous
    # secret); the second reads nothing; after the lapse only the route is read again.
    assert first[0] == 200 and first[1] >= 1
    assert second == (200, 0)
    assert lapsed == (200, 1)


def test_a_zero_lifetime_reads_the_route_for_every_delivery(client, configuration, settings):
    settings.GATEWAY_WEBHOOK_ROUTING_CACHE_SECONDS = 0

    deliver(client, "EvtRoute000001")

    assert configuration_queries(client, "EvtRoute000002") == (200, 1)


def test_deactivating_through_the_service_refuses_the_next_delivery(client, configuration, settings):
    settings.GATEWAY_WEBHOOK_ROUTING_CACHE_SECONDS = 3600

    before = deliver(client, "EvtRoute000001")
    gateway_configuration_update(configuration=configuration, changes={"is_active": False})
    after = deliver(client, "EvtRoute000002")

    assert (before, after) == (200, 401)


def test_a_replaced_secret_verifies_at_once_and_the_old_one_not_without_grace(
    client, configuration, settings
):
    settings.GATEWAY_WEBHOOK_ROUTING_CACHE_SECONDS = 3600
    settings.GATEWAY_WEBHOOK_SECRET_GRACE_SECONDS = 0

    before = deliver(client, "EvtRoute000001")
    gateway_configuration_update(
        configuration=configuration, changes={}, values={"webhook_secret": NEW_SECRET}
    )
    answers = [
        deliver(client, "EvtRoute000002", secret=SECRET),
        deliver(client, "EvtRoute000003", secret=NEW_SECRET),
    ]

    assert (before, answers) == (200, [401, 200])


def test_a_configuration_added_for_a_cached_unknown_account_is_routed_at_once(client, hospital, settings):
    settings.GATEWAY_WEBHOOK_ROUTING_CACHE_SECONDS = 3600

    before = deliver(client, "EvtRoute000001")
    GatewayConfigurationFactory(hospital=hospital, merchant_id=ACCOUNT, razorpay_webhook_secret=SECRET)
    after = deliver(client, "EvtRoute000002")

    assert (before, after) == (401, 200)


def test_a_change_made_around_save_is_seen_when_the_entry_lapses(client, configuration, settings, clock):
    """What another process's change looks like from here: no signal reaches this process."""
    settings.GATEWAY_WEBHOOK_ROUTING_CACHE_SECONDS = 2

    before = deliver(client, "EvtRoute000001")
    GatewayConfiguration.objects.filter(pk=configuration.pk).update(is_active=False)
    clock[0] += 1.9
    within = deliver(client, "EvtRoute000002")
    clock[0] += 0.2
    lapsed = deliver(client, "EvtRoute000003")

    assert (before, within, lapsed) == (200, 200, 401)


def test_with_both_routes_cached_a_hospital_secret_never_validates_the_other(client, configuration, settings):
    settings.GATEWAY_WEBHOOK_ROUTING_CACHE_SECONDS = 3600
    GatewayConfigurationFactory(merchant_id=OTHER_ACCOUNT, razorpay_webhook_secret=OTHER_SECRET)

    own = [
        deliver(client, "EvtRoute000001"),
        deliver(client, "EvtRoute000002", secret=OTHER_SECRET, account=OTHER_ACCOUNT),
    ]
    crossed = [
        deliver(client, "EvtRoute000003", secret=OTHER_SECRET),
        deliver(client, "EvtRoute000004", secret=SECRET, account=OTHER_ACCOUNT),
    ]

    assert (own, crossed) == ([200, 200], [401, 401])


def test_the_cache_is_bounded(client, configuration, settings, monkeypatch):
    settings.GATEWAY_WEBHOOK_ROUTING_CACHE_SECONDS = 3600
    monkeypatch.setattr(routing, "ROUTING_CACHE_SIZE", 3)

    answers = [deliver(client, f"EvtRoute00000{n}", account=f"acc_Unknown0000000{n}") for n in range(5)]

    assert answers == [401] * 5
    assert len(routing._routing_cache) <= 3
