"""Read-only admin columns that name a person without linking to them.

Django admin renders a read-only foreign key as a link to the related object's change page,
whatever the viewer may open. Only superusers may open users, so for every other role such a
link is a 403; these columns show the username instead."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin


def person_display(field_name: str, description: str) -> Callable[[Any, Any], str]:
    """An admin method (use as a class attribute) showing `obj.<field_name>`'s username."""

    @admin.display(description=description, ordering=field_name)
    def display(model_admin: Any, obj: Any) -> str:
        person = getattr(obj, field_name)
        return person.get_username() if person else "—"

    display.__name__ = f"{field_name}_name"
    return display


def unlinked_display(field_name: str, description: str) -> Callable[[Any, Any], str]:
    """An admin method showing `obj.<field_name>` as text, for a related object not every
    viewer may open (a gateway configuration: Gateway admins only), so no link to a 403."""

    @admin.display(description=description, ordering=field_name)
    def display(model_admin: Any, obj: Any) -> str:
        related = getattr(obj, field_name)
        return str(related) if related else "—"

    display.__name__ = f"{field_name}_name"
    return display


def readonly_field_names(model: Any, *, exclude: tuple[str, ...] = ()) -> list[str]:
    """Every field of `model` for a read-only admin, people as their `<field>_name` column
    (which the admin declares with `person_display`)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    return [
        f"{field.name}_name" if field.is_relation and field.related_model is user_model else field.name
        for field in model._meta.fields
        if field.name not in exclude
    ]
