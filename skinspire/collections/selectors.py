"""Collections reads, always scoped to what the user may see (skinspire.core.tenancy)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from skinspire.collections.models import Bill, Patient, PatientPayment, PaymentLink
from skinspire.collections.models.payments import PaymentSource
from skinspire.core.errors import NotFoundError
from skinspire.core.models import Hospital, StatusTransition, User
from skinspire.core.tenancy import get_scoped_object_or_404, scope_queryset
from skinspire.gateways.providers.schemas import provider_names

# Lists newest first by id: the primary key's index serves it (ids grow with insertion), where
# the models' `-created_at` would sort millions of rows for every page.
NEWEST_FIRST = "-id"

# A trigram index finds parts of three characters or more (pg_trgm splits text into threes);
# a shorter part would have every bill read, so it is matched as a whole value.
SEARCH_PART_MIN = 3
# What a search part matches is looked up first, and the bills' query then names the bills
# (or the patients) found: PostgreSQL knows how few they are and reads them through their
# indexes. Its own guess for a part of a bill number is often a hundred times too high, and
# with a page's LIMIT it would then walk the newest bills looking for matches that are few
# and old: all 7.3M of a year's. Past these counts a part is common, and that walk meets
# its matches at once.
BILLS_LOOKED_UP = 1_000
PATIENTS_LOOKED_UP = 2_000


def bill_list(*, user: User) -> QuerySet[Bill]:
    return scope_queryset(Bill.objects.select_related("patient", "branch"), user).order_by(NEWEST_FIRST)


def bill_get(*, user: User, bill_id: int) -> Bill:
    return get_scoped_object_or_404(Bill.objects.select_related("patient", "branch"), user, pk=bill_id)


def patient_payment_list(*, user: User, bill_id: int | None = None) -> QuerySet[PatientPayment]:
    payments = scope_queryset(PatientPayment.objects.select_related("bill"), user).order_by(NEWEST_FIRST)
    return payments.filter(bill_id=bill_id) if bill_id is not None else payments


def patient_payment_get(*, user: User, payment_id: int) -> PatientPayment:
    return get_scoped_object_or_404(PatientPayment.objects.select_related("bill"), user, pk=payment_id)


def patient_payment_for_checkout(*, payment_id: int) -> PatientPayment:
    """A gateway payment with an order, for the checkout callback (which proves itself by
    signature, not by a login, so no user scope applies)."""
    payment = (
        PatientPayment.objects.select_related("bill", "configuration")
        .filter(pk=payment_id, category="gateway")
        .exclude(gateway_order_id="")
        .first()
    )
    if payment is None:
        raise NotFoundError("Patient payment not found.")
    return payment


def payment_link_list(*, user: User, bill_id: int | None = None) -> QuerySet[PaymentLink]:
    links = scope_queryset(PaymentLink.objects.all(), user).order_by(NEWEST_FIRST)
    return links.filter(bill_id=bill_id) if bill_id is not None else links


def payment_link_cancel_reasons(*, links: list[PaymentLink]) -> dict[int, str]:
    """Why each cancelled link of `links` was cancelled (its history's reason): by staff, or
    because the bill was paid or had less open than the link asked (services/paid_bills.py)."""
    cancelled = [str(link.pk) for link in links if link.status == "cancelled"]
    if not cancelled:
        return {}
    moves = StatusTransition.objects.filter(
        content_type=ContentType.objects.get_for_model(PaymentLink),
        object_id__in=cancelled,
        to_state="cancelled",
        outcome=StatusTransition.Outcome.APPLIED,
    ).values_list("object_id", "reason")
    return {int(object_id): reason for object_id, reason in moves}


def payment_link_get(*, user: User, link_id: int) -> PaymentLink:
    return get_scoped_object_or_404(
        PaymentLink.objects.select_related("bill", "bill__patient"), user, pk=link_id
    )


def patient_payment_lookup(*, term: str) -> Q:
    """Payments whose reference, bill number, gateway order or payment id or bank reference
    (UTR) is `term`, as typed or upper-cased: whole values, each through an index (a part of
    one would read every payment of the year). The bills are found first, through their
    (hospital, number) index, so the payments' conditions stay on indexed columns."""
    spellings = sorted({term, term.upper()})
    bills = Bill.objects.filter(hospital__in=Hospital.objects.all(), number__in=spellings)
    gateways = Q(source__in=[PaymentSource.INTERNAL, *provider_names()])
    return (
        Q(reference__in=spellings)
        | Q(bill_id__in=list(bills.values_list("pk", flat=True)[:100]))
        | (gateways & (Q(gateway_order_id__in=spellings) | Q(gateway_payment_id__in=spellings)))
        | Q(bank_transaction_id__in=spellings)
    )


def bill_lookup(*, term: str, hospital: Hospital | None = None) -> Q:
    """Bills whose number contains `term`, whose patient's name contains it, or whose patient's
    number (UHID) is it; any case. A term shorter than SEARCH_PART_MIN matches whole values
    only: a bill number as typed or upper-cased, a patient number. `hospital` narrows what is
    looked up (the caller scopes the bills themselves).

    On PostgreSQL each part has an index (collections migration 0015: trigram indexes of the
    bill number and the patient's name, the patient number's upper case). The matches are
    looked up first (see BILLS_LOOKED_UP), so the bills' conditions stay on the bills' own
    indexed columns, which PostgreSQL combines (a BitmapOr); a condition on the joined
    patient would have every bill of the year read and its patient looked up."""
    hospitals = Hospital.objects.filter(pk=hospital.pk) if hospital else Hospital.objects.all()
    by_number = Patient.objects.filter(hospital__in=hospitals, patient_number__iexact=term)
    if len(term) < SEARCH_PART_MIN:
        spellings = sorted({term, term.upper()})
        bills = Bill.objects.filter(hospital__in=hospitals, number__in=spellings)
        return Q(pk__in=_first_ids(bills, 100)) | Q(patient_id__in=_first_ids(by_number, 100))
    bills = Bill.objects.filter(hospital__in=hospitals, number__icontains=term)
    bill_ids = _first_ids(bills, BILLS_LOOKED_UP + 1)
    bill_match = Q(number__icontains=term) if len(bill_ids) > BILLS_LOOKED_UP else Q(pk__in=bill_ids)
    patients = Patient.objects.filter(hospital__in=hospitals, name__icontains=term) | by_number
    patient_ids = _first_ids(patients, PATIENTS_LOOKED_UP + 1)
    if len(patient_ids) > PATIENTS_LOOKED_UP:
        return bill_match | Q(patient__in=patients.values("pk"))
    return bill_match | Q(patient_id__in=patient_ids)


def _first_ids(rows: QuerySet, limit: int) -> list[int]:
    return list(rows.order_by().values_list("pk", flat=True)[:limit])
