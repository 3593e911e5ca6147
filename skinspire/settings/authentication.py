"""Logins: hashed expiring API tokens (knox), lockout (axes), TOTP for key holders (django-otp).

Figures and the reasons for them are in docs/security.md, "Authentication".
"""

from datetime import timedelta

from skinspire.settings.env import env

# axes watches every authenticate() call and refuses it while the username or address is
# locked out; ModelBackend then checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=10)),
    # The README's `Authorization: Token <token>` keeps working.
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

# A signed-in page session ends after a working day too, like an API token, not after
# Django's two weeks: staff sign in on shared desks, and the session opens the admin where
# gateway keys and supplier accounts are changed.
SESSION_COOKIE_AGE = int(timedelta(hours=env.int("SESSION_TTL_HOURS", default=10)).total_seconds())

AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Two separate counters: one username tried from many addresses, and one address trying
# many usernames, are each locked out.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "skinspire.core.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "skinspire.core.authentication.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "skinspire.core.authentication.lockout.attempt_username"
AXES_USERNAME_FORM_FIELD = "username"  # axes' default, named here for the callable above
# Masked in axes' logs and attempt records (passwords always are). A "username" may be a
# password typed into the wrong box; the attempt rows keep it for counting.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]

# Superusers and Gateway admins must pass a TOTP code. Off by default so the development
# demo stays two commands; production turns it on (settings/production.py).
REQUIRE_TOTP_FOR_KEY_HOLDERS = env.bool("REQUIRE_TOTP_FOR_KEY_HOLDERS", default=False)
OTP_TOTP_ISSUER = "Skinspire Payments"
TOTP_RECOVERY_CODE_COUNT = 10
