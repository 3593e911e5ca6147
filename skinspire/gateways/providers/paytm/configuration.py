"""What a Paytm account is configured with (shared/reference/paytm.md §1, §2).

The MID names the merchant in every request and every webhook, so it is public and kept
in both the key_id and merchant_id columns; the merchant key (16 characters, AES-128)
signs everything and is the credential. Payouts need the subwallet GUID. The website name
is a public setting (WEBSTAGING on staging, DEFAULT in production). Hosts: §1.1 (payouts)
and §2.1 (PG; the paytmpayments.com hosts are current, the paytm.in ones their legacy names).
Payout links: only a third-party mention of /bpay/api/v1/payout-link/create, no body shape,
so not offered (docs/gateways-paytm.md).
"""

from skinspire.gateways.models import Capability
from skinspire.gateways.providers.interface.configuration import (
    API,
    PAYOUTS,
    ConfigurationField,
    ConfigurationSchema,
)

MERCHANT_KEY_LENGTH = 16  # AES-128 key, as issued by Paytm

CONFIGURATION = ConfigurationSchema(
    label="Paytm",
    capabilities=frozenset({Capability.PAYOUTS, Capability.COLLECTIONS, Capability.PAYMENT_LINKS}),
    fields=(
        ConfigurationField(
            name="mid",
            label="Paytm MID",
            columns=("key_id", "merchant_id"),
            required=True,
            max_length=20,
            pattern=r"[A-Za-z0-9]+",
            pattern_message="A Paytm MID is letters and digits only.",
        ),
        ConfigurationField(
            name="merchant_key",
            label="Paytm merchant key",
            secret=True,
            required=True,
            length=MERCHANT_KEY_LENGTH,
        ),
        ConfigurationField(
            name="subwallet_guid",
            label="Paytm payout subwallet GUID",
            secret=True,
            required_for=(Capability.PAYOUTS,),
        ),
        ConfigurationField(
            name="website",
            label="Paytm website",
            max_length=50,
            pattern=r"[A-Za-z0-9_]+",
            pattern_message="A Paytm website name is letters, digits and underscores (WEBSTAGING, DEFAULT).",
            help_text="WEBSTAGING on staging, DEFAULT in production; empty means DEFAULT.",
        ),
        ConfigurationField(name="client_id", label="Paytm client id", secret=True),
    ),
    official_origins={
        ("live", API): ("https://secure.paytmpayments.com", "https://securegw.paytm.in"),
        ("test", API): ("https://securestage.paytmpayments.com", "https://securegw-stage.paytm.in"),
        ("live", PAYOUTS): ("https://dashboard.paytm.com",),
        ("test", PAYOUTS): ("https://staging-dashboard.paytm.com",),
    },
)
