"""seed_demo makes its rows through the services real data uses, so the demo hospital can
post to the ledger and its gateway configurations are written the admin's way."""

import io
import logging
from decimal import Decimal

import pytest
from django.core.management import call_command

from skinspire.core.models import Hospital
from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.models import GatewayConfiguration
from skinspire.ledger import chart
from skinspire.ledger.models import Account, JournalEntry
from skinspire.ledger.services import LineSpec, post_entry
from skinspire.sandbox.demo import RAZORPAY_KEY_SECRET

pytestmark = pytest.mark.django_db

DEFAULT_CODES = ["1000", "1100", "1110", "1200", "1300", "2000", "4900", "5000"]


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def snapshot() -> dict[str, list]:
    """Every row seed_demo writes, with the columns that would change if it wrote again."""
    return {
        "accounts": list(Account.objects.values_list("pk", "hospital_id", "code", "name", "type")),
        "configurations": list(
            GatewayConfiguration.objects.order_by("pk").values_list(
                "pk", "provider", "base_url", "updated_at"
            )
        ),
        "hospitals": list(Hospital.objects.values_list("pk", "code", "updated_at")),
    }


def test_the_demo_hospital_has_the_default_chart_and_posts_a_balanced_entry():
    seed()
    hospital = Hospital.objects.get(code="skinspire-demo")

    assert sorted(hospital.ledger_accounts.values_list("code", flat=True)) == DEFAULT_CODES
    entry = post_entry(
        hospital=hospital,
        source=("demo.check", "1"),
        event="supplier.paid",
        lines=[
            LineSpec(account_code=chart.ACCOUNTS_PAYABLE, debit=Decimal("1500.00")),
            LineSpec(account_code=chart.RAZORPAY_CLEARING, credit=Decimal("1500.00")),
        ],
    )
    # The demo's counter payments (collections.demo) posted their own entries.
    assert JournalEntry.objects.get(source_type="demo.check", source_id="1").pk == entry.pk
    assert sorted(entry.lines.values_list("account__code", "debit", "credit")) == [
        ("1100", Decimal("0.00"), Decimal("1500.00")),
        ("2000", Decimal("1500.00"), Decimal("0.00")),
    ]


def test_running_seed_demo_again_changes_nothing():
    seed()
    first = snapshot()
    seed()

    assert snapshot() == first
    assert len(first["accounts"]) == len(DEFAULT_CODES)
    assert [provider for _, provider, _, _ in first["configurations"]] == ["razorpay", "paytm"]


def test_a_demo_hospital_seeded_without_its_chart_gets_it_on_the_next_run():
    # Databases seeded before seed_demo used hospital_create have the hospital but no accounts.
    Hospital.objects.create(code="skinspire-demo", name="Skinspire Demo Hospital")
    seed()

    assert Account.objects.filter(hospital__code="skinspire-demo").count() == len(DEFAULT_CODES)


def test_demo_gateway_configurations_are_created_by_the_configuration_service(caplog):
    caplog.set_level(logging.INFO, logger="skinspire.gateways.services")
    seed()
    razorpay = GatewayConfiguration.objects.get(provider="razorpay")

    assert credentials_for(razorpay).value("key_secret") == RAZORPAY_KEY_SECRET
    paytm = GatewayConfiguration.objects.get(provider="paytm")
    created = [record.getMessage() for record in caplog.records if " created (" in record.getMessage()]
    hospital_id = razorpay.hospital_id
    assert created == [
        f"Gateway configuration {razorpay.pk} created (razorpay, test) for hospital {hospital_id}; "
        "secrets set: key_secret, webhook_secret",
        f"Gateway configuration {paytm.pk} created (paytm, test) for hospital {hospital_id}; "
        "secrets set: client_id, merchant_key, subwallet_guid",
    ]
