"""PATCH /v1/orders/:id, /v1/payments/:id, /v1/refunds/:id: notes are all they change.

Razorpay documents `notes` as the only (and mandatory) field of these updates; anything
else is refused as an extra field (https://razorpay.com/docs/api/orders/update/,
https://razorpay.com/docs/api/payments/update/, https://razorpay.com/docs/api/refunds/update/).
The new notes replace the old ones, as the documented response shows.
"""

from django.db import transaction

from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay import validation
from skinspire.sandbox.razorpay.errors import invalid_field
from skinspire.sandbox.razorpay.services.common import object_or_error
from skinspire.sandbox.services import sandbox_object_save

NOTES_ONLY = frozenset({"notes"})


def notes_edit(*, merchant: SandboxMerchant, entity: str, object_id: str, data: dict) -> SandboxObject:
    validation.fields_allowed(data, NOTES_ONLY)
    if "notes" not in data:
        raise invalid_field("The notes field is required.", field="notes")
    notes = validation.notes_optional(data)
    with transaction.atomic():
        found = object_or_error(merchant=merchant, entity=entity, object_id=object_id, for_update=True)
        found.body["notes"] = notes
        return sandbox_object_save(sandbox_object=found)
