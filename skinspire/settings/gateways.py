"""Payment gateways and the sandbox gateway."""

from urllib.parse import urlsplit

from skinspire.settings.env import env

# The sandbox gateway (skinspire.sandbox) speaks Razorpay's and Paytm's protocols
# locally. On in development and tests, off in production (production.py forces it off);
# local.py and test.py install the app only when it is on.
SANDBOX_ENABLED = env.bool("SANDBOX_ENABLED", default=True)
# The URL the sandbox is reachable at, used by demo data to point configurations at it.
SANDBOX_BASE_URL = env("SANDBOX_BASE_URL", default="http://127.0.0.1:8000/sandbox")
# Seconds between the sandbox's automatic lifecycle steps (payout queued -> processing ->
# processed). Tests drive the steps directly.
SANDBOX_STEP_SECONDS = env.int("SANDBOX_STEP_SECONDS", default=5)
# Hosts the sandbox may POST a request-supplied callback URL to (Paytm payout callbackUrl,
# link statusCallbackUrl): loopback, the test client's names and the sandbox's own host.
SANDBOX_CALLBACK_ALLOWED_HOSTS = env.list(
    "SANDBOX_CALLBACK_ALLOWED_HOSTS",
    default=sorted(
        {
            "localhost",
            "127.0.0.1",
            "::1",
            "testserver",
            "sandbox.testserver",
            urlsplit(SANDBOX_BASE_URL).hostname,
        }
    ),
)

# Where a test-mode configuration may point besides the provider's own test host: URL
# prefixes (skinspire.gateways.endpoints). Development: the local sandbox; production: none.
GATEWAY_BASE_URL_ALLOWLIST = env.list("GATEWAY_BASE_URL_ALLOWLIST", default=[SANDBOX_BASE_URL])
# Whether an allow-listed base URL may be a loopback or private address (the sandbox on
# 127.0.0.1). Development and tests only; link-local and metadata addresses never.
GATEWAY_ALLOW_PRIVATE_ADDRESSES = env.bool("GATEWAY_ALLOW_PRIVATE_ADDRESSES", default=False)

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

# The webhook inbox (skinspire.gateways.webhooks).
# Bodies over this size are refused (413) before anything reads them.
GATEWAY_WEBHOOK_MAX_BODY_BYTES = env.int("GATEWAY_WEBHOOK_MAX_BODY_BYTES", default=1024 * 1024)
# After a webhook secret (Razorpay) or merchant key (Paytm) is replaced, the previous one
# still verifies for this long: Razorpay retries an event for up to 24 hours.
GATEWAY_WEBHOOK_SECRET_GRACE_SECONDS = env.int("GATEWAY_WEBHOOK_SECRET_GRACE_SECONDS", default=24 * 3600)
# Deliveries per minute from one address (429 beyond), and how many of them that fail
# verification are stored as rejected rows (401 either way; beyond it nothing is written).
GATEWAY_WEBHOOK_RATE_PER_MINUTE = env.int("GATEWAY_WEBHOOK_RATE_PER_MINUTE", default=30000)
GATEWAY_WEBHOOK_REJECTED_ROWS_PER_MINUTE = env.int("GATEWAY_WEBHOOK_REJECTED_ROWS_PER_MINUTE", default=20)
# The patient's return pages (skinspire.collections.return_limits): returns that fail
# (unknown, or not verified) per client address a minute, and verified returns per payment or
# link a minute (each asks the gateway). 429 beyond either; a real patient meets neither.
PATIENT_RETURN_FAILURES_PER_MINUTE = env.int("PATIENT_RETURN_FAILURES_PER_MINUTE", default=20)
PATIENT_RETURN_VERIFIED_PER_MINUTE = env.int("PATIENT_RETURN_VERIFIED_PER_MINUTE", default=10)
# Processing: attempts in all (the first and two retries), the first retry's delay in
# seconds (doubled for each next one), and how many events the relay hands over per task.
GATEWAY_WEBHOOK_MAX_ATTEMPTS = env.int("GATEWAY_WEBHOOK_MAX_ATTEMPTS", default=3)
GATEWAY_WEBHOOK_RETRY_SECONDS = env.int("GATEWAY_WEBHOOK_RETRY_SECONDS", default=30)
GATEWAY_WEBHOOK_RELAY_BATCH = env.int("GATEWAY_WEBHOOK_RELAY_BATCH", default=50)
# The receiver's insert as a prepared statement with server-side parameters (PostgreSQL).
# Off behind a connection pooler that cannot keep prepared statements (PgBouncer in
# transaction mode before 1.21).
GATEWAY_WEBHOOK_PREPARED_INSERT = env.bool("GATEWAY_WEBHOOK_PREPARED_INSERT", default=True)
# A relay task, once nudged, keeps looking for new rows every POLL seconds for WINDOW
# seconds; receivers nudge at most once per window per process (relay.py).
GATEWAY_WEBHOOK_RELAY_WINDOW_SECONDS = env.float("GATEWAY_WEBHOOK_RELAY_WINDOW_SECONDS", default=1.0)
GATEWAY_WEBHOOK_RELAY_POLL_SECONDS = env.float("GATEWAY_WEBHOOK_RELAY_POLL_SECONDS", default=0.05)
# The status sync asks the gateway about objects still pending this many seconds after
# they were sent (a webhook may have been lost), at most this many per run.
GATEWAY_STATUS_SYNC_AFTER_SECONDS = env.int("GATEWAY_STATUS_SYNC_AFTER_SECONDS", default=600)
GATEWAY_STATUS_SYNC_BATCH = env.int("GATEWAY_STATUS_SYNC_BATCH", default=200)
# A gateway refund still pending this many working days (Monday to Friday) after it was
# recorded is marked as needing a person: Razorpay's normal refunds take 5-7 working days
# (reference/razorpay.md §3.3). It is then asked about less often: again after as long as it
# has been marked, at least PATIENT_REFUND_OVERDUE_ASK_MIN_SECONDS, at most ..._MAX_SECONDS
# (services/gateway_refunds_overdue.py).
PATIENT_REFUND_OVERDUE_WORKING_DAYS = env.int("PATIENT_REFUND_OVERDUE_WORKING_DAYS", default=7)
PATIENT_REFUND_OVERDUE_ASK_MIN_SECONDS = env.int("PATIENT_REFUND_OVERDUE_ASK_MIN_SECONDS", default=3600)
PATIENT_REFUND_OVERDUE_ASK_MAX_SECONDS = env.int("PATIENT_REFUND_OVERDUE_ASK_MAX_SECONDS", default=86400)
# How long a process keeps the routing of a merchant account (its configurations) before
# reading it again; a save or delete in the same process clears it at once (routing.py).
GATEWAY_WEBHOOK_ROUTING_CACHE_SECONDS = env.float("GATEWAY_WEBHOOK_ROUTING_CACHE_SECONDS", default=2.0)
