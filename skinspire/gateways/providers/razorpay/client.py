"""The one place the Razorpay SDK client is built and called."""

from collections.abc import Callable
from typing import Any

import razorpay

from skinspire.gateways.calllog import gateway_call
from skinspire.gateways.errors import GatewayConfigurationError
from skinspire.gateways.http import gateway_timeout
from skinspire.gateways.providers.interface import PaymentProvider
from skinspire.gateways.providers.razorpay.errors import PROVIDER, translated_errors
from skinspire.gateways.providers.razorpay.mapping import as_dict, gateway_ids


class RazorpayBase(PaymentProvider):
    name = PROVIDER

    def __init__(self, *, configuration, credentials, session):
        super().__init__(configuration=configuration, credentials=credentials, session=session)
        if not (credentials.value("key_id") and credentials.value("key_secret")):
            raise GatewayConfigurationError(
                f"The gateway configuration '{configuration}' has no Razorpay key id or key "
                "secret; enter both in admin.",
                provider=PROVIDER,
                code="missing_credentials",
            )
        auth = (credentials.value("key_id"), credentials.value("key_secret"))
        # SDK retry stays off (its default): a retried order or refund POST could be
        # duplicated, and retry policy belongs to the caller, who knows the idempotency key.
        self.client = razorpay.Client(session=session, auth=auth, base_url=credentials.base_url)
        self.payout_client = razorpay.Client(session=session, auth=auth, base_url=credentials.payout_base_url)

    def call(
        self,
        operation: str,
        method: Callable[..., Any],
        *args: Any,
        object_ref: str = "",
        idempotency_key: str = "",
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """One HTTP call through the SDK: always with a timeout, always logged, errors ours."""
        options: dict[str, Any] = {"timeout": gateway_timeout()}
        if headers:
            options["headers"] = dict(headers)
        with (
            gateway_call(
                operation=operation,
                provider=PROVIDER,
                configuration=self.configuration,
                object_ref=object_ref[:100],
                idempotency_key=idempotency_key[:100],
            ) as record,
            translated_errors(record),
        ):
            answer = as_dict(method(*args, **options))
            record.add_gateway_ids(**gateway_ids(answer))
        return answer

    def account_number(self) -> str:
        """Our RazorpayX business account (debited by payouts), not a beneficiary's."""
        if not self.credentials.value("account_number"):
            raise GatewayConfigurationError(
                f"The gateway configuration '{self.configuration}' has no RazorpayX account "
                "number, so it cannot make payouts; enter it in admin.",
                provider=PROVIDER,
                code="missing_credentials",
            )
        return self.credentials.value("account_number")
