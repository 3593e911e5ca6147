"""API tokens: knox keeps only a SHA-512 digest (and a 15-character lookup prefix), with an expiry."""

from knox.models import AuthToken

from skinspire.core.models import User


def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new token for `user`, valid for REST_KNOX["TOKEN_TTL"]. The raw token exists only in
    the return value: it is shown to the caller once and never stored."""
    return AuthToken.objects.create(user=user)


def api_token_revoke(*, token: AuthToken) -> None:
    token.delete()


def api_token_revoke_all(*, user: User) -> int:
    count, _ = AuthToken.objects.filter(user=user).delete()
    return count
