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
"""

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, models, transaction

from skinspire.core.errors import ConflictError

Row = TypeVar("Row", bound=models.Model)


def row_with_key(model: type[Row], *, hospital_id: int, key: str) -> Row | None:
    """The hospital's row recorded under the key, if any (none when no key is given)."""
    if not key:
        return None
    return model._default_manager.filter(hospital_id=hospital_id, idempotency_key=key).first()


def replay_or_conflict(existing: Row, *, same_request: bool, noun: str) -> Row:
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
        return replay_or_conflict(existing, same_request=same_request(existing), noun=noun), False
