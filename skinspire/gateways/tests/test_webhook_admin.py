"""The inbox in admin: who sees it, its filters, and the audited reprocess action."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from skinspire.core.audit import AuditEntry
from skinspire.core.roles import (
    ROLE_ACCOUNTANT,
    ROLE_GATEWAY_ADMIN,
    ROLE_PAYMENT_APPROVER,
    ROLE_PAYMENTS_STAFF,
)
from skinspire.core.tests.factories import HospitalFactory, UserFactory
from skinspire.core.tests.state_machine_app.models import TrialPayout
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.webhook_support import history, razorpay_payout_envelope
from skinspire.gateways.webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:gateways_webhookevent_changelist")


def inbox_row(
    configuration, *, status="failed", event_id="EvtAdmin0001", reference="PAY-0100"
) -> WebhookEvent:
    return WebhookEvent.objects.create(
        provider="razorpay",
        configuration=configuration,
        hospital=configuration.hospital,
        event_id=event_id if status != "rejected" else "",
        event_type="payout.processed",
        object_type="payout",
        object_id="pout_Trial0001",
        body=razorpay_payout_envelope(
            account_id="acc_Admin000000001", reference=reference, status="processed"
        ),
        headers={"x-razorpay-event-id": event_id},
        signature_valid=status != "rejected",
        status=status,
        attempts=3 if status == "failed" else 0,
        last_error="RuntimeError: the ledger is closed" if status == "failed" else "",
    )


@pytest.fixture
def configuration(hospital):
    return GatewayConfigurationFactory(hospital=hospital, merchant_id="acc_Admin000000001")


def client_for(client, hospital, *roles, **fields):
    client.force_login(UserFactory(hospital=hospital, roles=list(roles), **fields))
    return client


def test_gateway_admins_see_their_hospitals_inbox_with_filters(client, hospital, configuration):
    inbox_row(configuration)
    foreign = GatewayConfigurationFactory(hospital=HospitalFactory(), name="Other hospital's Razorpay")
    inbox_row(foreign, event_id="EvtForeign001")

    response = client_for(client, hospital, ROLE_GATEWAY_ADMIN).get(CHANGELIST_URL)

    assert response.status_code == 200
    assert [row.event_id for row in response.context["cl"].result_list] == ["EvtAdmin0001"]
    filters = [spec.title for spec in response.context["cl"].filter_specs]
    # No filter by object or event type: their choices would be read from every row of a
    # year's inbox; both are searched instead (core.admin_lists).
    assert filters == ["provider", "status", "source", "received at", "configuration"]
    assert "reprocess" in dict(response.context["action_form"].fields["action"].choices)
    [configuration_filter] = [
        spec for spec in response.context["cl"].filter_specs if spec.title == "configuration"
    ]
    assert configuration_filter.lookup_choices == [(configuration.pk, str(configuration))]
    assert "Other hospital" not in response.content.decode()


@pytest.mark.parametrize("role", [ROLE_PAYMENTS_STAFF, ROLE_PAYMENT_APPROVER, ROLE_ACCOUNTANT])
def test_other_roles_do_not_see_the_inbox(client, hospital, configuration, role):
    row = inbox_row(configuration)
    client = client_for(client, hospital, role)

    listing = client.get(CHANGELIST_URL)
    detail = client.get(reverse("admin:gateways_webhookevent_change", args=[row.pk]))

    assert (listing.status_code, detail.status_code) == (403, 403)


def test_reprocess_reruns_the_stored_body_and_is_audited(
    client, hospital, configuration, payout_handler, django_capture_on_commit_callbacks
):
    payout = TrialPayout.objects.create(reference="PAY-0100")
    failed, rejected = inbox_row(configuration), inbox_row(configuration, status="rejected")
    client = client_for(client, hospital, ROLE_GATEWAY_ADMIN, username="gw.admin")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST_URL, {"action": "reprocess", "_selected_action": [failed.pk, rejected.pk]}
        )

    assert response.status_code == 302
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "1 event queued for reprocessing. 1 rejected delivery skipped (never verified)."
    ]
    failed.refresh_from_db()
    rejected.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("processed", 4, "")
    assert rejected.status == "rejected"
    assert history(payout) == [("queued", "processed", "applied")]
    [entry] = AuditEntry.objects.filter(action="webhook_event.reprocess")
    assert (entry.actor_username, entry.hospital_id, entry.object_id) == (
        "gw.admin",
        hospital.pk,
        str(failed.pk),
    )
    assert entry.message == "Reprocess razorpay event EvtAdmin0001 (payout.processed)."


def test_without_the_reprocess_permission_the_action_is_not_listed_nor_run(client, hospital, configuration):
    row = inbox_row(configuration)
    user = UserFactory(hospital=hospital, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_webhookevent"))
    client.force_login(user)

    listing = client.get(CHANGELIST_URL)
    posted = client.post(CHANGELIST_URL, {"action": "reprocess", "_selected_action": [row.pk]})

    assert listing.status_code == 200
    assert listing.context["action_form"] is None  # no action this user may run
    assert posted.status_code == 200
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 3)
    assert not AuditEntry.objects.filter(action="webhook_event.reprocess").exists()


def test_rows_cannot_be_added_changed_or_deleted(client, hospital, configuration):
    row = inbox_row(configuration)
    client = client_for(client, hospital, ROLE_GATEWAY_ADMIN)

    add = client.get(reverse("admin:gateways_webhookevent_add"))
    change = client.post(
        reverse("admin:gateways_webhookevent_change", args=[row.pk]), {"status": "processed"}
    )
    delete = client.post(reverse("admin:gateways_webhookevent_delete", args=[row.pk]), {"post": "yes"})

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    row.refresh_from_db()
    assert row.status == "failed"


def test_the_detail_page_shows_the_body_and_traceback(client, hospital, configuration):
    row = inbox_row(configuration)
    row.traceback = "Traceback (most recent call last):\n  RuntimeError: the ledger is closed"
    row.save(update_fields=["traceback"])

    response = client_for(client, hospital, ROLE_GATEWAY_ADMIN).get(
        reverse("admin:gateways_webhookevent_change", args=[row.pk])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "&quot;reference_id&quot;:&quot;PAY-0100&quot;" in html
    assert "<pre>Traceback (most recent call last):\n  RuntimeError: the ledger is closed</pre>" in html


def test_the_reprocess_service_refuses_a_user_without_the_permission(hospital, configuration):
    from skinspire.core.errors import PermissionDeniedError
    from skinspire.gateways.webhooks.services import webhook_events_reprocess

    row = inbox_row(configuration)

    with pytest.raises(PermissionDeniedError):
        webhook_events_reprocess(
            events=[row], actor=UserFactory(hospital=hospital, roles=[ROLE_PAYMENTS_STAFF])
        )

    assert not AuditEntry.objects.filter(action="webhook_event.reprocess").exists()
