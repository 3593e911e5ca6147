"""Signed HTTPS calls to Paytm with `requests` (never the paytm-pg SDK: it keeps one
merchant's credentials in class-level globals, and each hospital here has its own).

Three envelopes (reference §3.5): PG and link APIs send `{"head":{...,"signature"},"body":...}`
with the signature over the exact body text; payouts send the flat body with `x-mid` and
`x-checksum` headers; the settlement list carries `checksumHash` inside the body.
Transport failures and HTTP errors become GatewayError subclasses here, once.
"""

import json
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from skinspire.gateways.credentials import GatewayCredentials
from skinspire.gateways.errors import (
    GatewayAPIError,
    GatewayAuthenticationError,
    GatewayConfigurationError,
    GatewayTimeoutError,
    GatewayUnreachableError,
    SignatureError,
)
from skinspire.gateways.http import gateway_timeout
from skinspire.gateways.providers.paytm import signing

PROVIDER = "paytm"
JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}
# Paytm's answers to a request from an unknown MID or signed with another key
# (docs/sandbox-paytm.md, "Error codes"): initiate 2005/2006; status, refund, link and
# settlement APIs 330/335; payouts DE_401/DE_1002. Checked before the answer's own
# signature, which a wrong key cannot verify either.
CREDENTIAL_FAILURE_CODES = frozenset({"2005", "2006", "330", "335", "DE_401", "DE_1002"})


class PaytmClient:
    def __init__(self, *, credentials: GatewayCredentials, session: requests.Session):
        missing = [name for name in ("mid", "merchant_key") if not credentials.value(name)]
        if missing:
            raise GatewayConfigurationError(
                "The Paytm configuration is missing its merchant id or key; enter them in admin.",
                provider=PROVIDER,
                code="missing_credentials",
                extra={"missing": missing},
            )
        self.credentials = credentials
        self.session = session

    @property
    def mid(self) -> str:
        return self.credentials.value("mid")

    @property
    def merchant_key(self) -> str:
        return self.credentials.value("merchant_key")

    def pg(
        self, path: str, body: dict[str, Any], *, query: dict[str, str] | None = None, links: bool = False
    ) -> dict[str, Any]:
        """A PG or link API call. Returns the response `body`, its signature checked.

        Link responses carry no signature (reference fixtures); PG responses must, since a
        payment's state is read from them.
        """
        body_text = signing.compact_json(body)
        signature = signing.sign_text(body_text, merchant_key=self.merchant_key)
        head = signing.compact_json(
            {"tokenType": "AES", "signature": signature} if links else {"signature": signature}
        )
        # The body goes out as the very text that was signed, never re-serialised.
        payload = f'{{"head":{head},"body":{body_text}}}'
        url = f"{self.credentials.base_url}{path}" + (f"?{urlencode(query)}" if query else "")
        response = self._post(url, payload, JSON_HEADERS)
        document = self._json(response)
        if not isinstance(document.get("body"), dict):
            raise _unknown_outcome("Paytm answered without a body.", response)
        result_info = document["body"].get("resultInfo") or {}
        _refuse_bad_credentials(
            result_info.get("resultCode"),
            result_info.get("resultMsg") or result_info.get("resultMessage"),
            response,
        )
        if not links and not signing.verify_enveloped(
            response.text, document, merchant_key=self.merchant_key
        ):
            raise SignatureError(
                "Paytm's answer failed its signature check; the request may still have been applied.",
                provider=PROVIDER,
                code="response_signature",
                http_status=response.status_code,
                provably_failed=False,
            )
        return document["body"]

    def payout(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        body_text = signing.compact_json(body)
        headers = {
            **JSON_HEADERS,
            "x-mid": self.mid,
            "x-checksum": signing.sign_text(body_text, merchant_key=self.merchant_key),
        }
        response = self._post(f"{self.credentials.payout_base_url}{path}", body_text, headers)
        document = self._json(response)
        _refuse_bad_credentials(document.get("statusCode"), document.get("statusMessage"), response)
        return document

    def plain(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """A flat JSON call whose checksum is already inside `body` (settlement list)."""
        response = self._post(f"{self.credentials.base_url}{path}", signing.compact_json(body), JSON_HEADERS)
        document = self._json(response)
        _refuse_bad_credentials(document.get("resultCode"), document.get("errorMessage"), response)
        return document

    def _post(self, url: str, payload: str, headers: dict[str, str]) -> requests.Response:
        try:
            response = self.session.post(
                url, data=payload.encode("utf-8"), headers=headers, timeout=gateway_timeout()
            )
        except requests.ConnectTimeout as error:
            raise GatewayUnreachableError(
                "Paytm could not be reached (connect timeout).", provider=PROVIDER
            ) from error
        except requests.ReadTimeout as error:
            raise GatewayTimeoutError(
                "Paytm did not answer in time; the outcome is unknown.", provider=PROVIDER
            ) from error
        except requests.ConnectionError as error:
            raise _connection_error(error) from error
        if response.status_code >= 500:
            raise _unknown_outcome(f"Paytm answered HTTP {response.status_code}.", response)
        if response.status_code == 401:
            raise _credentials_refused("401", "HTTP 401", response)
        if response.status_code >= 400:
            raise GatewayAPIError(
                f"Paytm refused the request (HTTP {response.status_code}).",
                provider=PROVIDER,
                code=str(response.status_code),
                http_status=response.status_code,
                retryable=response.status_code == 429,
                provably_failed=True,
            )
        return response

    @staticmethod
    def _json(response: requests.Response) -> dict[str, Any]:
        try:
            document = json.loads(response.text, parse_float=Decimal)
        except ValueError as error:
            raise _unknown_outcome("Paytm answered with something that is not JSON.", response) from error
        if not isinstance(document, dict):
            raise _unknown_outcome("Paytm answered with an unexpected document.", response)
        return document


def _refuse_bad_credentials(code: Any, message: Any, response: requests.Response) -> None:
    if str(code or "") in CREDENTIAL_FAILURE_CODES:
        raise _credentials_refused(code, message, response)


def _credentials_refused(code: Any, message: Any, response: requests.Response) -> GatewayAuthenticationError:
    return GatewayAuthenticationError(
        f"Paytm refused the merchant id or key ({message or code}): check them in admin.",
        provider=PROVIDER,
        code=str(code or ""),
        gateway_message=str(message or ""),
        http_status=response.status_code,
    )


def _connection_error(error: requests.ConnectionError) -> Exception:
    """Only a failure to connect proves the request never left; a connection dropped
    after sending (reset, remote disconnect) leaves the outcome unknown."""
    reason = error.args[0] if error.args else None
    never_sent = isinstance(reason, MaxRetryError) and isinstance(reason.reason, NewConnectionError)
    if never_sent:
        return GatewayUnreachableError("Paytm could not be reached.", provider=PROVIDER)
    return GatewayTimeoutError("The connection to Paytm broke; the outcome is unknown.", provider=PROVIDER)


def _unknown_outcome(message: str, response: requests.Response) -> GatewayAPIError:
    return GatewayAPIError(
        message,
        provider=PROVIDER,
        code=str(response.status_code),
        http_status=response.status_code,
        retryable=True,
        provably_failed=False,
    )
