"""Cancel the payment links orphaned before links.py cancelled them itself.

Until now a link whose gateway call failed stayed created, with no gateway id, for ever:
nobody could pay it, and the rule of open links (`_amount_not_linked`) left it out. That rule
now counts every open link, issued or not (so that two staff making a link for one bill at
the same moment cannot both make one), and a link the gateway provably did not make is
cancelled when its call fails. The old orphans are cancelled here rather than counted: they
were never counted before, so cancelling them changes nothing a bill could be asked for,
while counting them would block a new link for their bill until they expire (up to 72
hours), with no way for staff to cancel them (a cancel goes to the gateway by its id).

Only those older than ten minutes: a younger one may be a create still waiting on the
gateway (its connect and read timeouts are 5 s and 30 s by default) while this runs.
Each move is recorded in the link's status history, as `transitions.transition` records
it; the moves are allowed by migration 0011 (created -> cancelled).
"""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

REASON = (
    "Never issued: the gateway's answer to its create was an error or was lost, and the link "
    "has no gateway id (cancelled by collections migration 0018)."
)
EVENT = "migration:collections:0018"


def cancel_never_issued(apps, schema_editor):
    payment_link = apps.get_model("collections", "PaymentLink")
    status_transition = apps.get_model("core", "StatusTransition")
    content_type = apps.get_model("contenttypes", "ContentType")
    now = timezone.now()
    orphans = payment_link.objects.filter(
        status="created", gateway_link_id="", created_at__lt=now - timedelta(minutes=10)
    )
    ids = list(orphans.values_list("pk", flat=True))
    if not ids:
        return
    link_type, _ = content_type.objects.get_or_create(app_label="collections", model="paymentlink")
    payment_link.objects.filter(pk__in=ids, status="created").update(status="cancelled", updated_at=now)
    status_transition.objects.bulk_create(
        status_transition(content_type=link_type, object_id=str(pk), occurred_at=now, from_state="created",
                          to_state="cancelled", outcome="applied", reason=REASON, event_reference=EVENT)
        for pk in ids
    )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("collections", "0017_idempotency_keys"),
        ("core", "0008_audit_object_id_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(cancel_never_issued, migrations.RunPython.noop)]
