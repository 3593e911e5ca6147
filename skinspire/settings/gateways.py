"""Payment gateways and the sandbox gateway."""

from skinspire.settings.env import env

# The sandbox gateway (skinspire.gateways.sandbox) speaks Razorpay's and Paytm's protocols
# locally. On in development and tests, off in production (production.py forces it off).
SANDBOX_ENABLED = env.bool("SANDBOX_ENABLED", default=True)
# The URL the sandbox is reachable at, used by demo data to point configurations at it.
SANDBOX_BASE_URL = env("SANDBOX_BASE_URL", default="http://127.0.0.1:8000/sandbox")
# Seconds between the sandbox's automatic lifecycle steps (payout queued -> processing ->
# processed). Tests drive the steps directly.
SANDBOX_STEP_SECONDS = env.int("SANDBOX_STEP_SECONDS", default=5)

# Every outbound gateway call gets a timeout (seconds): connect, read.
GATEWAY_CONNECT_TIMEOUT = env.float("GATEWAY_CONNECT_TIMEOUT", default=5.0)
GATEWAY_READ_TIMEOUT = env.float("GATEWAY_READ_TIMEOUT", default=30.0)

# Provider adapters by dotted path (django-payments style); the registry builds them.
GATEWAY_PROVIDERS = {
    "razorpay": "skinspire.gateways.providers.razorpay.RazorpayProvider",
    "paytm": "skinspire.gateways.providers.paytm.PaytmProvider",
}

# Test settings route requests for these URL prefixes to this Django project in-process,
# so the official SDKs talk to the sandbox without a server. Empty everywhere else.
GATEWAY_INPROCESS_PREFIXES: list[str] = []
