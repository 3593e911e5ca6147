"""Acme Pay: a third gateway that exists only in tests, to show that adding a gateway is one
folder (this one) plus one line in settings.GATEWAY_PROVIDERS. It has no API and speaks to
nothing: every operation it does not refuse by capability says it has no API. It is never
a stand-in for the sandbox, which remains the test double for Razorpay and Paytm."""

from skinspire.gateways.tests.acme.provider import AcmePayProvider

__all__ = ["AcmePayProvider"]
