"""Whether a posted value can be a row id of a model, before the database is asked.

Admin hands posted ids to the database as they are (an action's selected rows, an
autocomplete field's choice when its page is shown again), and text for a number, NUL, or
on SQLite a number past 64 bits raise there: a 500 for what is a bad request.
"""

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Field


def storable_id(field: Field, value) -> bool:
    """Whether `value` converts to `field`'s type and fits its column."""
    try:
        converted = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(converted, str):
        return "\x00" not in converted
    if isinstance(converted, int):
        column = getattr(field, "target_field", field)  # a key's column is its target's
        low, high = connection.ops.integer_field_range(column.get_internal_type())
        return (low is None or converted >= low) and (high is None or converted <= high)
    return True


class StorableIdsAutocompleteSelect(AutocompleteSelect):
    """Admin's autocomplete, shown again with a refused value: Django looks the posted value
    up as it is to show its label; a value that is no id shows as no choice instead."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [item for item in value if storable_id(target, item)], attr)


class StorableIdsAutocompleteMixin:
    """For ModelAdmin: its autocomplete fields use StorableIdsAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = StorableIdsAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
