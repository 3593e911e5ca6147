"""What a Razorpay account is configured with (https://razorpay.com/docs/api/authentication/,
https://razorpay.com/docs/webhooks/, https://razorpay.com/docs/api/x/account-number/).

The key id is public (every checkout page carries it) and the merchant's account id is in
every webhook envelope (`account_id`), so both are plain columns; the webhook receiver
finds a delivery's configuration by the account id. The key secret and webhook secret are
the credentials. Hosts: shared/reference/razorpay.md §1 (one host for both modes).
"""

from skinspire.gateways.models import Capability
from skinspire.gateways.providers.interface.configuration import (
    API,
    PAYOUTS,
    ConfigurationField,
    ConfigurationSchema,
)

CONFIGURATION = ConfigurationSchema(
    label="Razorpay",
    capabilities=frozenset(Capability),
    fields=(
        ConfigurationField(
            name="key_id",
            label="Razorpay key id",
            columns=("key_id",),
            required=True,
            pattern=r"rzp_(test|live)_[A-Za-z0-9]+",
            pattern_message="A Razorpay key id starts with rzp_test_ or rzp_live_.",
        ),
        ConfigurationField(
            name="key_secret", label="Razorpay key secret", secret=True, required=True, max_length=200
        ),
        ConfigurationField(
            name="webhook_secret",
            label="Razorpay webhook secret",
            secret=True,
            max_length=200,
            help_text="The secret entered with the webhook URL in the Razorpay dashboard.",
        ),
        ConfigurationField(
            name="account_id",
            label="Razorpay account id",
            columns=("merchant_id",),
            required=True,
            pattern=r"acc_[A-Za-z0-9]{14}",
            pattern_message="A Razorpay account id is acc_ and 14 letters or digits (Dashboard → Account & Settings).",
            help_text="acc_…: how Razorpay's webhooks name this account.",
        ),
        ConfigurationField(
            name="account_number",
            label="RazorpayX account number",
            columns=("account_number",),
            required_for=(Capability.PAYOUTS,),
            pattern=r"[0-9]{6,20}",
            pattern_message="A RazorpayX account number is 6 to 20 digits.",
            help_text="The business account payouts are made from.",
        ),
    ),
    official_origins={
        ("live", API): ("https://api.razorpay.com",),
        ("test", API): ("https://api.razorpay.com",),
        ("live", PAYOUTS): ("https://api.razorpay.com",),
        ("test", PAYOUTS): ("https://api.razorpay.com",),
    },
)
