"""DRF permissions by role (the groups created by core's roles migration)."""

from rest_framework.permissions import BasePermission

REQUEST_ROLES_ATTRIBUTE = "_skinspire_role_names"


def user_has_role(user, *roles: str) -> bool:
    """Superusers hold every role; anyone else needs membership of one of `roles`."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=roles).exists()


def request_has_role(request, *roles: str) -> bool:
    """`user_has_role` for the request's user, reading the user's roles once per request.

    A request asks more than once (the view's permission, then the serializer for what
    each row may show, once per row of a list): one query instead of one per question.
    Held on the request only, so a role granted or removed counts from the next request."""
    user = request.user
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    names = getattr(request, REQUEST_ROLES_ATTRIBUTE, None)
    if names is None or names[0] != user.pk:
        names = (user.pk, frozenset(user.groups.values_list("name", flat=True)))
        setattr(request, REQUEST_ROLES_ATTRIBUTE, names)
    return not names[1].isdisjoint(roles)


def HasRole(*roles: str) -> type[BasePermission]:
    """`permission_classes = [HasRole(ROLE_PAYMENTS_STAFF, ROLE_PAYMENT_APPROVER)]`."""

    class _HasRole(BasePermission):
        message = f"You need one of these roles: {', '.join(roles)}."

        def has_permission(self, request, view):
            return request_has_role(request, *roles)

    _HasRole.__name__ = f"HasRole({', '.join(roles)})"
    return _HasRole
