"""Every admin list filtered by values the database cannot take for the field, the way a
hand-edited or crafted query string would: what answered 500 is returned."""

from django.contrib import admin
from django.urls import reverse

TOO_BIG = "99999999999999999999"  # past 64 bits
NUMBER_LOOKUPS = ("", "__in", "__gt", "__range")  # the field itself, `in`, a comparison, a range


def values_for(field) -> list[tuple[str, str]]:
    """(lookup, value) pairs for one field: a number no row can hold for keys and integers,
    text that is not of the field's type for the rest, `contains` for JSON."""
    kind = field.get_internal_type()
    if field.is_relation or kind.endswith(("IntegerField", "AutoField")):
        return [(field.name + lookup, TOO_BIG) for lookup in NUMBER_LOOKUPS]
    tried = [(field.name, "x"), (field.name + "__range", "x")]
    if kind == "JSONField":
        tried.append((field.name + "__contains", TOO_BIG))
    return tried


def sweep(client, part: int = 0, parts: int = 1) -> tuple[int, list[str]]:
    """(requests made, the ones that answered 5xx) for `client`, logged in as a superuser, on
    every `parts`th list from the `part`th (each part a test, so xdist's workers share them)."""
    tried, failed = 0, []
    for model in list(admin.site._registry)[part::parts]:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for field in model._meta.concrete_fields:
            for lookup, value in values_for(field):
                tried += 1
                status = client.get(url, {lookup: value}).status_code
                if status >= 500:
                    failed.append(f"{status} {url}?{lookup}={value}")
    return tried, failed
