"""Session authentication for the API that respects the second factor."""

from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from skinspire.core.authentication.selectors import second_factor_pending


class VerifiedSessionAuthentication(SessionAuthentication):
    """A key holder's session counts only once it has passed its TOTP code, so logging in
    with a password alone opens neither admin nor the API."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and second_factor_pending(result[0]):
            raise exceptions.AuthenticationFailed(
                "Your role needs two-factor authentication: finish it at /admin/ first."
            )
        return result
