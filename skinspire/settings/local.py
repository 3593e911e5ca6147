"""Development: `make run`."""

from skinspire.settings.base import *  # noqa: F403
from skinspire.settings.env import env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
# The sandbox runs on this machine (SANDBOX_BASE_URL, 127.0.0.1 by default).
GATEWAY_ALLOW_PRIVATE_ADDRESSES = env.bool("GATEWAY_ALLOW_PRIVATE_ADDRESSES", default=True)
# The sandbox gateway is installed (tables, admin, URLs, periodic tasks) only where it is
# enabled; production never installs it.
if SANDBOX_ENABLED:
    INSTALLED_APPS = [*INSTALLED_APPS, "skinspire.sandbox"]
# Receipts and notifications are printed to the console in development.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# `make run` serves the site on 127.0.0.1:8000; the sandbox's Paytm payouts call back there.
PAYOUT_CALLBACK_URL = env("PAYOUT_CALLBACK_URL", default="http://127.0.0.1:8000/api/gateway/webhook/paytm")
