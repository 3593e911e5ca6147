"""How the API documentation describes our session authentication.

drf-spectacular describes `SessionAuthentication` but not its subclasses, so without this
every view using the default classes would be documented without its cookie scheme."""

from drf_spectacular.authentication import SessionScheme


class VerifiedSessionScheme(SessionScheme):
    target_class = "skinspire.core.authentication.session.VerifiedSessionAuthentication"
