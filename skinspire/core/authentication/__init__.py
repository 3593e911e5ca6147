"""Staff logins: API tokens (knox), lockout (axes) and the TOTP second factor (django-otp)."""
