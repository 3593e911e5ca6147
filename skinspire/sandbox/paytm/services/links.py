"""Payment links (reference §2.5): create, expire, and the patient's payment on the link page."""

import re
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from skinspire.core.money import MoneyError, to_rupees
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.paytm import ids, selectors
from skinspire.sandbox.paytm.errors import PaytmRejected
from skinspire.sandbox.paytm.services import orders, outbound

LINK_NAME = re.compile(r"^[A-Za-z0-9 _]{1,64}$")
LINK_TYPES = {"FIXED", "GENERIC", "INVOICE"}
DEFAULT_LIFETIME = timedelta(days=365)  # the fixture's link lives a year
CREATED = ("SUCCESS", "200", "Payment link is created successfully")
SPECIAL_CHARACTER = ("302", "link name contains sepcial character.")  # sic, as Paytm answers
# Paytm's codes for these are not published (agent-skills' 5xxx codes contradict each other).
INVALID = ("400", "Invalid request parameters")
NOT_FOUND = ("404", "Link not found")


def _link_amount(body: dict) -> Decimal | None:
    value = body.get("amount")
    if value in (None, "") and body.get("linkType") == "GENERIC":
        return None
    try:  # Paytm documents `amount` as a double; requests are parsed with Decimal, never float
        amount = (
            to_rupees(value)
            if isinstance(value, (int, Decimal, str)) and not isinstance(value, bool)
            else None
        )
    except MoneyError:
        amount = None
    if amount is None or amount <= 0:
        raise PaytmRejected(*INVALID)
    return amount


def _expiry(body: dict):
    if not body.get("expiryDate"):
        return timezone.now() + DEFAULT_LIFETIME
    expiry = ids.parse_link_datetime(str(body["expiryDate"]))
    if expiry is None or expiry <= timezone.now():
        raise PaytmRejected(*INVALID)
    return expiry


def _text(body: dict, key: str) -> str:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise PaytmRejected(*INVALID)
    return value or ""


def paytm_link_create(*, merchant: SandboxMerchant, body: dict) -> SandboxObject:
    name, description, link_type = (
        _text(body, "linkName"),
        _text(body, "linkDescription"),
        _text(body, "linkType"),
    )
    if not name or not description or link_type not in LINK_TYPES:
        raise PaytmRejected(*INVALID)
    if not LINK_NAME.match(name):
        raise PaytmRejected(*SPECIAL_CHARACTER)
    amount, expiry = _link_amount(body), _expiry(body)
    link_id = ids.link_id()
    base = f"{settings.SANDBOX_BASE_URL.rstrip('/')}/paytm/link"
    public = {
        "linkId": link_id,
        "linkType": body["linkType"],
        "longUrl": f"{base}/{name.replace(' ', '')}/LL_{link_id}",
        "shortUrl": f"{base}/{link_id}/",
        "expiryDate": ids.link_datetime(expiry),
        "isActive": True,
        "linkStatus": "ACTIVE",
        "merchantHtml": "",
        "createdDate": ids.link_datetime(timezone.now()),
        "notificationDetails": [],
        "linkName": name,
        "linkDescription": description,
        "amount": f"{amount:.2f}" if amount is not None else None,
    }
    sandbox = _sandbox_state(body=body, expiry=expiry)
    return SandboxObject.objects.create(
        merchant=merchant,
        entity=selectors.LINK,
        object_id=f"LL_{link_id}",
        status="ACTIVE",
        body={**public, "_sandbox": sandbox},
    )


def _sandbox_state(*, body: dict, expiry) -> dict:
    """What the sandbox keeps about a link beyond what the API shows."""
    contact = body.get("customerContact")
    contact = contact if isinstance(contact, dict) else {}
    maximum = body.get("maxPaymentsAllowed") or 1
    # ASCII digits only: str.isdigit() also accepts "²", which int() then rejects.
    if isinstance(maximum, bool) or not re.fullmatch("[0-9]{1,9}", str(maximum)) or int(maximum) < 1:
        raise PaytmRejected(*INVALID)
    return {
        "expiresAt": expiry.isoformat(),
        "statusCallbackUrl": str(body.get("statusCallbackUrl") or ""),
        "linkNotes": str(body.get("linkNotes") or ""),
        "linkOrderId": str(body.get("linkOrderId") or ""),
        "customerContact": {key: str(value) for key, value in contact.items()},
        "maxPaymentsAllowed": int(maximum),
    }


def _close(link: SandboxObject, status: str) -> None:
    link.status = status
    link.body.update(isActive=False, linkStatus=status)
    link.save(update_fields=["status", "body", "updated_at"])


def paytm_link_expire(*, link: SandboxObject) -> SandboxObject:
    if link.status != "ACTIVE":
        raise PaytmRejected("409", f"Link is already {link.status.lower()}")
    _close(link, "EXPIRED")
    return link


def paytm_link_expire_due(*, now=None) -> int:
    """Expire every active link past its expiry date. Run periodically, and before a link is shown."""
    now = now or timezone.now()
    expired = 0
    for link in SandboxObject.objects.filter(entity=selectors.LINK, status="ACTIVE"):
        if datetime.fromisoformat(link.body["_sandbox"]["expiresAt"]) <= now:
            _close(link, "EXPIRED")
            expired += 1
    return expired


def paytm_link_pay(*, link_pk: int, method: str, succeed: bool, amount: str, payer: dict[str, str]) -> dict:
    """The patient pays a link: an order and txn are made for it, and the link webhook is sent."""
    with transaction.atomic():
        link = SandboxObject.objects.select_for_update().get(pk=link_pk)
        if link.status != "ACTIVE":
            raise PaytmRejected(*NOT_FOUND)
        value = Decimal(link.body["amount"]) if link.body["amount"] else _link_amount({"amount": amount})
        assert value is not None  # _link_amount returns None only for a GENERIC link's own body
        sandbox = {
            "txnToken": ids.txn_token(),
            "callbackUrl": "",
            "custId": payer.get("mobile") or "LINK_CUSTOMER",
            "mercUnqRef": f"LI_{link.body['linkId']}",
        }
        order = orders.order_create(
            merchant=link.merchant,
            order_id=f"LL{link.body['linkId']}{ids.digits(8)}",
            amount=value,
            sandbox=sandbox,
            parent_id=link.object_id,
        )
        fields = orders.paytm_order_pay(order_id=order.pk, method=method, succeed=succeed, notify=False)
        if (
            fields["STATUS"] == "TXN_SUCCESS"
            and _paid_count(link) >= link.body["_sandbox"]["maxPaymentsAllowed"]
        ):
            _close(link, "PAID")
        if fields["STATUS"] != "PENDING":
            outbound.payment_webhook(merchant=link.merchant, fields=_webhook_fields(link, fields, payer))
            callback = link.body["_sandbox"]["statusCallbackUrl"]
            if callback:
                outbound.payment_webhook(
                    merchant=link.merchant, fields=_webhook_fields(link, fields, payer), url=callback
                )
    return fields


def _paid_count(link: SandboxObject) -> int:
    return (
        selectors.objects_of(entity=selectors.ORDER, parent_id=link.object_id)
        .filter(status="TXN_SUCCESS")
        .count()
    )


def _webhook_fields(link: SandboxObject, fields: dict[str, str], payer: dict[str, str]) -> dict[str, str]:
    """The link payment webhook: the payment fields plus the link's (link_payment_status_webhook_form.json)."""
    return {
        **fields,
        "TXNDATE": fields["TXNDATE"][:10],
        "TXNDATETIME": fields["TXNDATE"],
        "CUSTID": payer.get("mobile") or "LINK_CUSTOMER",
        "MERC_UNQ_REF": f"LI_{link.body['linkId']}",
        "LINKNOTES": link.body["_sandbox"]["linkNotes"],
        "LINKDESCRIPTION": link.body["linkDescription"],
        "PAYMENTEMAILID": payer.get("email", ""),
        "PAYMENTMOBILENUMBER": payer.get("mobile", ""),
    }
