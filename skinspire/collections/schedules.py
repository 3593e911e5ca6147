"""Collections' periodic tasks, created by `manage.py setup_periodic_tasks` (editable in admin
afterwards): every five minutes, counter refunds a stopped request left pending are failed
with a reason (services/counter_refunds.py), and gateway refunds the gateway may never have
received are looked up by our reference or sent again under it (services/gateway_refunds_unsent.py),
so none holds back a patient's refundable amount for ever. Every ten minutes, gateway refunds
pending past the gateway's bound are marked for a person and asked about less often
(services/gateway_refunds_overdue.py)."""

from skinspire.core.schedules import PeriodicTaskDefinition

PERIODIC_TASKS: list[PeriodicTaskDefinition] = [
    {
        "name": "collections: fail counter refunds left unconfirmed",
        "task": "skinspire.collections.tasks.patient_refunds_counter_unconfirmed",
        "every_seconds": 300,
    },
    {
        "name": "collections: find or resend gateway refunds never answered",
        "task": "skinspire.collections.tasks.patient_refunds_unsent",
        "every_seconds": 300,
    },
    {
        # Marks refunds at most this late; asks marked ones when due (at least an hour apart).
        "name": "collections: mark gateway refunds pending too long",
        "task": "skinspire.collections.tasks.patient_refunds_overdue",
        "every_seconds": 600,
    },
]
