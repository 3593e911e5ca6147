"""The two gateways under contract, and how a test opens one against its sandbox.

A `Spec` knows one sandbox: the configuration that points at it, how to move its objects
along (pay, advance, process, expire: what the patient, the bank or time would do), and
where it keeps the amounts and references it was sent. The adapter itself is always built
by the registry (`provider_for`), exactly as production builds it.
"""

import abc
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from skinspire.core.money import rupees_to_paise
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface import PaymentProvider, PaymentStatus
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.tests.contract.wire import Wire, tap
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.paytm import ids as paytm_ids
from skinspire.sandbox.paytm import selectors as paytm
from skinspire.sandbox.paytm.services.links import paytm_link_pay
from skinspire.sandbox.paytm.services.orders import paytm_order_pay
from skinspire.sandbox.paytm.services.payouts import paytm_payout_advance
from skinspire.sandbox.paytm.services.refunds import paytm_refund_advance
from skinspire.sandbox.razorpay.events import account_id_for
from skinspire.sandbox.razorpay.services.common import now_unix
from skinspire.sandbox.razorpay.services.link_payments import payment_link_pay
from skinspire.sandbox.razorpay.services.payments import CheckoutChoice, payment_checkout
from skinspire.sandbox.razorpay.services.payout_lifecycle import payout_advance
from skinspire.sandbox.razorpay.services.refunds import refund_process
from skinspire.sandbox.tests.factories import SandboxMerchantFactory

STEPS = 5  # more than any sandbox lifecycle has; a step at an end state changes nothing
PAID_AMOUNT = Decimal("1500.10")


@dataclass
class Gateway:
    spec: "Spec"
    merchant: SandboxMerchant
    configuration: GatewayConfiguration
    provider: PaymentProvider
    wire: Wire


def open_gateway(spec: "Spec", *, hospital, **overrides) -> Gateway:
    merchant = spec.merchant_create()
    configuration = GatewayConfigurationFactory.create(
        hospital=hospital, **{**spec.fields(merchant), **overrides}
    )
    provider = provider_for(configuration)
    return Gateway(spec, merchant, configuration, provider, tap(provider.session))


def reopen(gateway: Gateway, **changes) -> Gateway:
    """The same configuration, changed and read back, with a newly built adapter."""
    GatewayConfiguration.objects.filter(pk=gateway.configuration.pk).update(**changes)
    configuration = GatewayConfiguration.objects.without_secrets().get(pk=gateway.configuration.pk)
    provider = provider_for(configuration)
    return Gateway(gateway.spec, gateway.merchant, configuration, provider, tap(provider.session))


class Spec(abc.ABC):
    name = ""
    failing_vpa = ""
    # An id of each kind that the sandbox never issued.
    unknown: dict[str, str] = {}
    # Interface operations this adapter has no API for.
    unsupported_operations: tuple[str, ...] = ()
    # outcome -> (amount to pay, whether the patient's payment succeeds, the status it reads)
    payment_outcomes: dict[str, tuple[Decimal, bool, PaymentStatus]] = {
        "captured": (PAID_AMOUNT, True, PaymentStatus.CAPTURED),
        "failed": (PAID_AMOUNT, False, PaymentStatus.FAILED),
    }

    def __repr__(self):
        return self.name

    # What each sandbox implements (the subclasses below).
    @abc.abstractmethod
    def merchant_create(self) -> SandboxMerchant: ...

    @abc.abstractmethod
    def fields(self, merchant: SandboxMerchant) -> dict: ...

    @abc.abstractmethod
    def host_fields(self, url: str) -> dict: ...

    @abc.abstractmethod
    def advance_payout(self, gateway_payout_id: str) -> None: ...

    @abc.abstractmethod
    def pay_order(self, merchant: SandboxMerchant, gateway_order_id: str, *, succeed: bool) -> None: ...

    @abc.abstractmethod
    def process_refund(self, gateway_refund_id: str) -> None: ...

    @abc.abstractmethod
    def pay_link(self, merchant: SandboxMerchant, gateway_link_id: str) -> None: ...

    @abc.abstractmethod
    def expire_link(self, gateway_link_id: str) -> None: ...

    @abc.abstractmethod
    def entity(self, kind: str) -> str: ...

    @abc.abstractmethod
    def sandbox_object(self, kind: str, gateway_id: str) -> SandboxObject | None: ...

    @abc.abstractmethod
    def sandbox_paise(self, kind: str, stored: SandboxObject) -> int: ...

    @abc.abstractmethod
    def sandbox_reference(self, kind: str, stored: SandboxObject) -> str: ...

    def sandbox_object_get(self, kind: str, gateway_id: str) -> SandboxObject:
        stored = self.sandbox_object(kind, gateway_id)
        assert stored is not None, f"the sandbox has no {kind} {gateway_id}"
        return stored


class RazorpaySpec(Spec):
    name = "razorpay"
    failing_vpa = "failure@razorpay"
    unknown = {
        "payout": "pout_NoSuchPayout001",
        "order": "order_NoSuchOrder0001",
        "payment": "pay_NoSuchPayment001",
        "link": "plink_NoSuchLink00001",
    }
    faults = {
        "wrong_secret": {"razorpay_key_secret": "not_the_merchant_secret"},
        "unknown_key_id": {"key_id": "rzp_test_NoSuchKey00001"},
    }
    entities = {
        "payout": "payout",
        "order": "order",
        "payment": "payment",
        "refund": "refund",
        "link": "payment_link",
    }
    references = {"payout": "reference_id", "order": "receipt", "refund": "receipt", "link": "reference_id"}

    def merchant_create(self) -> SandboxMerchant:
        return SandboxMerchantFactory.create(webhook_url="")

    def fields(self, merchant: SandboxMerchant) -> dict:
        return {
            "razorpay": True,
            "base_url": f"{settings.SANDBOX_BASE_URL}/razorpay",
            "key_id": merchant.key_id,
            "merchant_id": account_id_for(merchant=merchant),
            "razorpay_key_secret": merchant.key_secret,
            "razorpay_webhook_secret": merchant.webhook_secret,
            "account_number": merchant.account_number,
        }

    def host_fields(self, url: str) -> dict:
        return {"base_url": url}

    def advance_payout(self, gateway_payout_id: str) -> None:
        for _ in range(STEPS):
            payout_advance(payout_id=gateway_payout_id)

    def pay_order(self, merchant: SandboxMerchant, gateway_order_id: str, *, succeed: bool) -> None:
        choice = CheckoutChoice(method="upi", succeed=succeed, vpa="success@razorpay")
        payment_checkout(merchant=merchant, order_id=gateway_order_id, choice=choice)

    def process_refund(self, gateway_refund_id: str) -> None:
        refund_process(refund_id=gateway_refund_id)

    def pay_link(self, merchant: SandboxMerchant, gateway_link_id: str) -> None:
        choice = CheckoutChoice(method="upi", succeed=True, vpa="success@razorpay")
        payment_link_pay(merchant=merchant, link_id=gateway_link_id, choice=choice)

    def expire_link(self, gateway_link_id: str) -> None:
        """Time passes at the sandbox: the link's expiry is now behind it."""
        link = self.sandbox_object_get("link", gateway_link_id)
        link.body["expire_by"] = now_unix() - 1
        link.save(update_fields=["body"])

    def entity(self, kind: str) -> str:
        return self.entities[kind]

    def sandbox_object(self, kind: str, gateway_id: str) -> SandboxObject | None:
        return SandboxObject.objects.filter(entity=self.entities[kind], object_id=gateway_id).first()

    def sandbox_paise(self, kind: str, stored: SandboxObject) -> int:
        return stored.body["amount"]

    def sandbox_reference(self, kind: str, stored: SandboxObject) -> str:
        return stored.body[self.references[kind]]


class PaytmSpec(Spec):
    name = "paytm"
    failing_vpa = "failure@paytm"
    unknown = {"payout": "CPAY-NOSUCH", "order": "CBILL-NOSUCH", "link": "999999999"}
    unsupported_operations = (
        "create_contact",
        "create_fund_account",
        "cancel_payout",
        "create_payout_link",
        "fetch_payout_link",
        "cancel_payout_link",
        "capture_payment",
        "validate_fund_account",
    )
    payment_outcomes = {
        **Spec.payment_outcomes,
        "pending": (Decimal("2222.22"), True, PaymentStatus.PENDING),  # the sandbox's magic amount
    }
    faults = {
        "wrong_secret": {"paytm_merchant_key": "NotTheKey1234567"},
        "unknown_key_id": {"key_id": "NOSUCH00000000000000"},
    }

    def merchant_create(self) -> SandboxMerchant:
        return SandboxMerchantFactory.create(paytm=True, webhook_url="")

    def fields(self, merchant: SandboxMerchant) -> dict:
        return {
            "paytm": True,
            **self.host_fields(f"{settings.SANDBOX_BASE_URL}/paytm"),
            "key_id": merchant.key_id,
            "merchant_id": merchant.key_id,
            "paytm_merchant_key": merchant.key_secret,
            "paytm_subwallet_guid": merchant.account_number,
        }

    def host_fields(self, url: str) -> dict:
        return {"base_url": url, "payout_base_url": url}

    def advance_payout(self, gateway_payout_id: str) -> None:
        for _ in range(STEPS):
            paytm_payout_advance(object_id=gateway_payout_id)

    def pay_order(self, merchant: SandboxMerchant, gateway_order_id: str, *, succeed: bool) -> None:
        order = paytm.object_by_key(merchant=merchant, entity=paytm.ORDER, key=gateway_order_id)
        assert order is not None, f"the sandbox has no order {gateway_order_id}"
        paytm_order_pay(order_id=order.pk, method="upi", succeed=succeed, notify=False)

    def process_refund(self, gateway_refund_id: str) -> None:
        paytm_refund_advance(object_id=gateway_refund_id)

    def pay_link(self, merchant: SandboxMerchant, gateway_link_id: str) -> None:
        link = self.sandbox_object_get("link", gateway_link_id)
        paytm_link_pay(link_pk=link.pk, method="upi", succeed=True, amount="", payer={})

    def expire_link(self, gateway_link_id: str) -> None:
        """Time passes at the sandbox: the link's expiry date is now behind it."""
        link = self.sandbox_object_get("link", gateway_link_id)
        past = timezone.now() - timedelta(seconds=1)
        link.body["_sandbox"]["expiresAt"] = past.isoformat()
        link.body["expiryDate"] = paytm_ids.link_datetime(past)
        link.save(update_fields=["body"])

    def entity(self, kind: str) -> str:
        entities = {
            "payout": paytm.PAYOUT,
            "order": paytm.ORDER,
            "payment": paytm.TXN,
            "refund": paytm.REFUND,
        }
        return {**entities, "link": paytm.LINK}[kind]

    def sandbox_object(self, kind: str, gateway_id: str) -> SandboxObject | None:
        # Paytm PG's order id is ours (the orderId we sent), kept as the order's key.
        if kind == "order":
            return SandboxObject.objects.filter(entity=paytm.ORDER, idempotency_key=gateway_id).first()
        object_id = f"LL_{gateway_id}" if kind == "link" else gateway_id
        return SandboxObject.objects.filter(entity=self.entity(kind), object_id=object_id).first()

    def sandbox_paise(self, kind: str, stored: SandboxObject) -> int:
        body = stored.body
        rupees = {
            "payout": lambda: body["result"]["amount"],
            "order": lambda: body["txnAmount"],
            "payment": lambda: body["TXNAMOUNT"],
            "refund": lambda: body["refundAmount"],
            "link": lambda: body["amount"],
        }[kind]()
        return rupees_to_paise(rupees)

    def sandbox_reference(self, kind: str, stored: SandboxObject) -> str:
        body = stored.body
        return {
            "payout": lambda: body["result"]["orderId"],
            "order": lambda: body["orderId"],
            "refund": lambda: body["refId"],
            "link": lambda: body["_sandbox"]["linkOrderId"],
        }[kind]()


RAZORPAY, PAYTM = RazorpaySpec(), PaytmSpec()
SPECS = (RAZORPAY, PAYTM)


def spec_id(value) -> str:
    return value.name if isinstance(value, Spec) else str(value)


# Runs a test once per gateway, with the `gateway` fixture opened on that gateway's sandbox.
over_both = pytest.mark.parametrize("gateway", SPECS, indirect=True, ids=spec_id)


def per_gateway(names: str, cases: list[tuple]):
    """Parametrise `gateway` plus more arguments, with cases that differ by gateway."""
    return pytest.mark.parametrize(f"gateway,{names}", cases, indirect=["gateway"], ids=_case_id)


def _case_id(value) -> str | None:
    return spec_id(value) if isinstance(value, Spec) else None
