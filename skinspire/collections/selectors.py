"""Collections reads, always scoped to what the user may see (skinspire.core.tenancy)."""

from django.db.models import Q, QuerySet

from skinspire.collections.models import Bill, PatientPayment, PaymentLink
from skinspire.collections.models.payments import PaymentSource
from skinspire.core.errors import NotFoundError
from skinspire.core.models import Hospital, User
from skinspire.core.tenancy import get_scoped_object_or_404, scope_queryset
from skinspire.gateways.providers.schemas import provider_names

# Lists newest first by id: the primary key's index serves it (ids grow with insertion), where
# the models' `-created_at` would sort millions of rows for every page.
NEWEST_FIRST = "-id"


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
