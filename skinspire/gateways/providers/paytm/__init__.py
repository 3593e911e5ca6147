"""The Paytm adapter: Payouts and PG over HTTPS, signed with the official paytmchecksum."""

from skinspire.gateways.providers.paytm.provider import PaytmProvider

__all__ = ["PaytmProvider"]
