"""The caller's idempotency key on a request that records money: unique per hospital, so a
retry after a timeout or a double submit finds the first row instead of taking the money twice.

The same key with the same request answers with the first row (created False: the API's
200 instead of 201); the same key with a different request is a 409 that writes nothing.
The model has a nullable `idempotency_key` (NULL: the caller gave none) under a unique
constraint (hospital, idempotency_key). A service looks the key up under the row lock it
takes anyway, so two requests on the same row meet there; two that lock different rows
(a reused key on another bill) meet at the constraint, and `created_once` reads the winner.
Supplier payments (payouts/services/payments.py, `supplier_payment_create`, whose rules these
are), counter payments and patient refunds (collections) use it.

The key stays unique per hospital, as the API documents it ("unique in the hospital"). Not
per user: an integration may retry under another staff member's token, and a key of one user
would then record its money twice. Narrowing it to a branch would make no retry safer (a retry
names the same bill or payment, so the same branch) and would change the constraint. So a key
may have been used by a row the caller may not see: another branch's, under core.tenancy's
rules, the ones the list endpoints use. Then the answer names nothing of that row, neither its
id nor whether it was the same request: a 409 saying only that the key is taken. A row the
caller sees is answered as before (the row again, or a 409 naming its id).
"""

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, models, transaction

from skinspire.core.errors import ConflictError
from skinspire.core.tenancy import user_may_see

Row = TypeVar("Row", bound=models.Model)


def row_with_key(model: type[Row], *, hospital_id: int, key: str) -> Row | None:
    """The hospital's row recorded under the key, if any (none when no key is given)."""
    if not key:
        return None
    return model._default_manager.filter(hospital_id=hospital_id, idempotency_key=key).first()


def replay_or_conflict(existing: Row, *, same_request: bool, noun: str, viewer) -> Row:
    """The first row again for the same request; else a 409, naming the row only when the
    viewer may see it."""
    if not user_may_see(viewer, existing):
        raise ConflictError(
            f"This idempotency key is already in use in your hospital; use a new key for a new {noun}."
        )
    if not same_request:
        raise ConflictError(
            f"This idempotency key was already used for a different {noun}; use a new key for a new {noun}.",
            {f"{noun}_id": existing.pk},
        )
    return existing


def created_once(
    create: Callable[[], tuple[Row, bool]],
    *,
    model: type[Row],
    hospital_id: int,
    key: str,
    same_request: Callable[[Row], bool],
    noun: str,
    viewer,
) -> tuple[Row, bool]:
    """create() in a savepoint, answering (row, created). When a concurrent request under the
    same key won the insert, the unique constraint refuses ours: then the winner's row, if it
    was the same request (a 409 otherwise)."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        existing = row_with_key(model, hospital_id=hospital_id, key=key)
        if existing is None:
            raise
        answer = replay_or_conflict(existing, same_request=same_request(existing), noun=noun, viewer=viewer)
        return answer, False
