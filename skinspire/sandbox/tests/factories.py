import factory

from skinspire.sandbox.models import SandboxMerchant, SandboxProvider


class SandboxMerchantFactory(factory.django.DjangoModelFactory[SandboxMerchant]):
    """A Razorpay sandbox merchant by default; `SandboxMerchantFactory(paytm=True)` for Paytm."""

    class Meta:
        model = SandboxMerchant

    provider = SandboxProvider.RAZORPAY
    name = factory.Sequence(lambda number: f"Sandbox merchant {number}")
    key_id = factory.Sequence(lambda number: f"rzp_test_Merchant{number:05d}")
    key_secret = factory.Sequence(lambda number: f"sandbox_secret_{number:05d}")
    webhook_secret = factory.Sequence(lambda number: f"sandbox_whsec_{number:05d}")
    webhook_url = ""
    account_number = "7878780080316316"
    balance_paise = 10_000_000_00
    webhook_chaos = factory.LazyFunction(dict)

    class Params:
        razorpay = factory.Trait(provider=SandboxProvider.RAZORPAY)
        paytm = factory.Trait(
            provider=SandboxProvider.PAYTM,
            key_id=factory.Sequence(lambda number: f"SKNSPR{number:014d}"),
            key_secret=factory.Sequence(lambda number: f"PaytmKey{number:08d}"),
            webhook_secret=factory.SelfAttribute("key_secret"),
            account_number="5b0e7a1c-9d3f-4c2e-8a61-2f4d9e7c1b30",
        )


SANDBOX_RAZORPAY_BASE_URL = "http://sandbox.testserver/sandbox/razorpay"


def razorpay_client(merchant: SandboxMerchant, *, secret: str | None = None):
    """The official SDK, unmodified, routed in-process to the sandbox by `new_session()`."""
    import razorpay

    from skinspire.gateways.http import new_session

    return razorpay.Client(
        session=new_session(),
        auth=(merchant.key_id, merchant.key_secret if secret is None else secret),
        base_url=SANDBOX_RAZORPAY_BASE_URL,
    )
