"""Fixtures of the collections tests: one user per role in the bill's hospital, and one elsewhere;
the demo's sandbox gateways for the modules that pay through them."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from skinspire.collections.models import PaymentLink
from skinspire.collections.tests.factories import BillFactory
from skinspire.core.roles import (
    ROLE_ACCOUNTANT,
    ROLE_GATEWAY_ADMIN,
    ROLE_PAYMENT_APPROVER,
    ROLE_PAYMENTS_STAFF,
)
from skinspire.core.tests.factories import BranchFactory, UserFactory
from skinspire.core.tests.money_rows import create_in
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.sandbox import demo
from skinspire.sandbox.models import SandboxMerchant

ROLE_BY_NAME = {
    "payments": ROLE_PAYMENTS_STAFF,
    "approver": ROLE_PAYMENT_APPROVER,
    "accountant": ROLE_ACCOUNTANT,
    "gateway_admin": ROLE_GATEWAY_ADMIN,
}


@pytest.fixture(autouse=True)
def books(hospital):
    """The hospital's chart of accounts, as hospital_create gives every real hospital."""
    chart_of_accounts_create(hospital=hospital)


@pytest.fixture
def bill(branch):
    return BillFactory(branch=branch)


@pytest.fixture
def link(bill) -> PaymentLink:
    """A ₹2,500 Razorpay link for the bill, as the gateway created it."""
    return create_in(
        PaymentLink, hospital=bill.hospital, branch=bill.branch, bill=bill, amount=Decimal("2500.00"),
        source="razorpay", gateway_link_id="plink_1", expires_at=timezone.now() + timedelta(hours=24),
    )  # fmt: skip


@pytest.fixture
def user_with_role(hospital, branch):
    def make(name: str, *, other_hospital: bool = False):
        if other_hospital:
            other_branch = BranchFactory()
            return UserFactory(
                hospital=other_branch.hospital, roles=[ROLE_BY_NAME[name]], branches=[other_branch]
            )
        return UserFactory(hospital=hospital, roles=[ROLE_BY_NAME[name]], branches=[branch])

    return make


@pytest.fixture
def client_as(user_with_role):
    """`client_as("payments")`, `client_as("accountant", other_hospital=True)`, `client_as(None)` (anonymous)."""

    def make(name: str | None, **kwargs) -> APIClient:
        client = APIClient()
        if name is not None:
            client.force_authenticate(user_with_role(name, **kwargs))
        return client

    return make


@pytest.fixture
def demo_gateways(hospital):
    """The demo's sandbox gateways for the hospital, their webhooks sent nowhere: these tests
    see what the patient's return or the API records, with no webhook recording it first."""
    demo.seed(hospital=hospital, out=io.StringIO())
    SandboxMerchant.objects.update(webhook_url="")
