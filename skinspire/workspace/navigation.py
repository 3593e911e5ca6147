"""The workspace's navigation, by role. A page appears for the roles whose work it is;
the page itself still checks permissions (and the API behind it, tenancy)."""

from dataclasses import dataclass

from django.urls import reverse

from skinspire.core.roles import (
    ALL_ROLES,
    ROLE_ACCOUNTANT,
    ROLE_GATEWAY_ADMIN,
    ROLE_PAYMENT_APPROVER,
    ROLE_PAYMENTS_STAFF,
)

SUPERUSER = "Superuser"


@dataclass(frozen=True)
class NavItem:
    title: str
    url_name: str
    roles: frozenset[str]


@dataclass(frozen=True)
class NavLink:
    title: str
    url: str
    current: bool


def _item(title: str, url_name: str, *roles: str) -> NavItem:
    return NavItem(title, url_name, frozenset({*roles, SUPERUSER}))


NAVIGATION = [
    _item("Home", "home", *ALL_ROLES),
    _item(
        "Supplier payments", "workspace-payouts", ROLE_PAYMENTS_STAFF, ROLE_PAYMENT_APPROVER, ROLE_ACCOUNTANT
    ),
    _item("Record a payment", "workspace-payout-record", ROLE_PAYMENTS_STAFF),
    _item("Approvals", "workspace-approvals", ROLE_PAYMENT_APPROVER),
    _item("Batch payouts", "workspace-batches", ROLE_PAYMENTS_STAFF, ROLE_PAYMENT_APPROVER, ROLE_ACCOUNTANT),
    _item("Bills", "workspace-bills", ROLE_PAYMENTS_STAFF, ROLE_ACCOUNTANT),
    _item("Patient payments", "workspace-patient-payments", ROLE_PAYMENTS_STAFF, ROLE_ACCOUNTANT),
    _item("Gateway configurations", "admin:gateways_gatewayconfiguration_changelist", ROLE_GATEWAY_ADMIN),
    _item(
        "Gateway transaction log",
        "admin:gateways_gatewaytransactionlog_changelist",
        ROLE_GATEWAY_ADMIN,
        ROLE_ACCOUNTANT,
    ),
    _item("Journal entries", "admin:ledger_journalentry_changelist", ROLE_ACCOUNTANT),
    _item("Reconciliation", "workspace-reconciliation", ROLE_ACCOUNTANT),
]


@dataclass(frozen=True)
class Task:
    """A "start here" card on the home page: the job in the person's words, and the page
    where it is done, so a newcomer needs no manual to find it."""

    title: str
    how: str
    url_name: str
    roles: frozenset[str]
    query: str = ""  # a list's filter, so the card opens on what waits for the person


def _task(title: str, how: str, url_name: str, *roles: str, query: str = "") -> Task:
    return Task(title, how, url_name, frozenset({*roles, SUPERUSER}), query)


TASKS = [
    _task(
        "Pay a supplier",
        "Choose the supplier, the account and UPI, IMPS, NEFT or RTGS; the fee is shown before you "
        "send. Or send them a payout link to give their own account. A cheque, cash or bank "
        "transfer already made is recorded on the same page.",
        "workspace-payout-record",
        ROLE_PAYMENTS_STAFF,
    ),
    _task(
        "Send a patient a payment link",
        "Find the bill by its number, the patient's name or UHID, then Create payment link: copy it, "
        "or let the patient scan its QR code. A patient at the desk pays online or in cash, cheque "
        "or card on the same page.",
        "workspace-bills",
        ROLE_PAYMENTS_STAFF,
    ),
    _task(
        "Approve payments",
        "Payments at or above the approval threshold wait here. You cannot approve your own.",
        "workspace-approvals",
        ROLE_PAYMENT_APPROVER,
    ),
    _task(
        "Approve changed bank accounts",
        "A supplier account whose details were changed is not paid until another person approves "
        "it (its cooling-off period runs from then). Select it, then Approve changed details.",
        "admin:payouts_supplieraccount_changelist",
        ROLE_PAYMENT_APPROVER,
        query="?approval_status__exact=pending",
    ),
    _task(
        "Pay many suppliers from a file",
        "Upload a CSV or Excel file; every row is checked first, then an approver approves the batch.",
        "workspace-batches",
        ROLE_PAYMENTS_STAFF,
    ),
    _task(
        "Refund a patient",
        "Open the payment under Patient payments and choose Refund (a part or all, with a reason).",
        "workspace-patient-payments",
        ROLE_PAYMENTS_STAFF,
    ),
    _task(
        "Check a supplier payment",
        "Search by reference, UTR, supplier or invoice; each payment shows its timeline.",
        "workspace-payouts",
        ROLE_PAYMENT_APPROVER,
        ROLE_ACCOUNTANT,
    ),
    _task(
        "Reconcile settlements",
        "Match the gateways' settlements with our payments and resolve what differs.",
        "workspace-reconciliation",
        ROLE_ACCOUNTANT,
    ),
    _task(
        "Switch gateway payments on or off",
        "Gateway configurations: credentials, test or live, default and fallback gateway.",
        "admin:gateways_gatewayconfiguration_changelist",
        ROLE_GATEWAY_ADMIN,
    ),
]


def tasks_for(user) -> list[dict[str, str]]:
    roles = role_names(user)
    return [
        {"title": task.title, "how": task.how, "url": reverse(task.url_name) + task.query}
        for task in TASKS
        if task.roles & roles
    ]


def role_names(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return {SUPERUSER}
    return set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))


def navigation_for(user, current_path: str) -> list[NavLink]:
    """The person's links; the current one is the longest that the path starts with."""
    roles = role_names(user)
    urls = [(item.title, reverse(item.url_name)) for item in NAVIGATION if item.roles & roles]
    matching = [
        url for _, url in urls if current_path == url or (url != "/" and current_path.startswith(url))
    ]
    current = max(matching, key=len, default=None)
    return [NavLink(title, url, url == current) for title, url in urls]
