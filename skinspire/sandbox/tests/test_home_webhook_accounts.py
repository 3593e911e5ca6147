"""The sandbox's home page shows what each merchant's webhooks name it by: the value a
gateway configuration records as its merchant id, so deliveries reach that configuration."""

import pytest

from skinspire.sandbox.razorpay.events import account_id_for
from skinspire.sandbox.tests.factories import SandboxMerchantFactory

pytestmark = pytest.mark.django_db


def test_each_merchant_is_listed_with_the_account_its_webhooks_name(client):
    razorpay = SandboxMerchantFactory(key_id="rzp_test_HomePage0001")
    paytm = SandboxMerchantFactory(paytm=True, key_id="SKNHOM00000000000001")

    response = client.get("/sandbox/", HTTP_HOST="sandbox.testserver")

    html = response.content.decode()
    assert response.status_code == 200
    assert account_id_for(merchant=razorpay).startswith("acc_")
    assert f"<td><code>{account_id_for(merchant=razorpay)}</code></td>" in html
    assert f"<td><code>{paytm.key_id}</code></td>\n        <td><code>{paytm.key_id}</code></td>" in html
