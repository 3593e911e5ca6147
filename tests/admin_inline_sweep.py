"""The inline rows of admin change forms given what no browser sends: a tampered management
form, a row id that is no id or another hospital's row, a row's parent key swapped, DELETE on
a row, and one hostile value per field in an existing row and in a new one. Called by
tests/admin_post_sweep.py for each change page with inlines, as each role that may open it;
a page the role may only view gets one tampered POST (admin must refuse it and change nothing).

Both the page's model and the inline's are compared before and after each request: nothing
may change with an error, and a tampered row may not change at all.
"""

from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.db import DatabaseError, transaction
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT

from tests.admin_post_sweep import TOO_BIG, form_data, hostile_values, key_values

BAD_IDS = ["abc", TOO_BIG, "-1"]
# The management form's counts: negative, text, past 64 bits. As TOTAL_FORMS, past 64 bits is
# also a huge count: Django builds (and shows again) its most forms, absolute_max (1000 or more),
# some 2-5 s of CPU a page. Any other count past absolute_max takes the same path, so none is
# tried besides (99999999 was, for the superuser: the same page again).
BAD_COUNTS = ["-1", "abc", TOO_BIG]


def inline_sweep(sweep, url: str, baseline: dict, inlines: list) -> None:
    """`sweep` is the RoleSweep on the page; `baseline` the page's form as rendered; `inlines`
    the page's InlineAdminFormSets (each knows what the role may do with its rows)."""
    for inline in inlines:
        FormsetSweep(sweep, url, baseline, inline).run()


def view_only_inline_post(sweep, url: str, page) -> None:
    """A page the role may only view, given a formset's tampered rows: refused, nothing changed."""
    data: dict = {}
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {f"{prefix}-{TOTAL_FORM_COUNT}": "2", f"{prefix}-{INITIAL_FORM_COUNT}": "1"}
        data |= {f"{prefix}-0-id": "abc", f"{prefix}-0-DELETE": "on", f"{prefix}-1-id": TOO_BIG}
    if data:
        models = [sweep.model, *(inline.formset.model for inline in page.context["inline_admin_formsets"])]
        _post(sweep, url, models, data, "view-only inline rows", untouchable=True)


class FormsetSweep:
    def __init__(self, sweep, url: str, baseline: dict, inline):
        self.sweep, self.url, self.baseline, self.inline = sweep, url, baseline, inline
        self.formset = formset = inline.formset
        self.prefix = formset.prefix
        self.rows = len(formset.initial_forms)
        self.models = [sweep.model, formset.model]

    def post(self, changes: dict, what: str, **check) -> None:
        _post(
            self.sweep, self.url, self.models, {**self.baseline, **changes}, f"{self.prefix} {what}", **check
        )

    def run(self) -> None:
        self.management_sweep()
        if self.rows:
            self.row_sweep(self.formset.initial_forms[0])
        if self.formset.max_num > self.rows and self.inline.has_add_permission:
            self.new_row_sweep()

    def counts(self, total, initial=None) -> dict:
        return {
            f"{self.prefix}-{TOTAL_FORM_COUNT}": str(total),
            f"{self.prefix}-{INITIAL_FORM_COUNT}": str(self.rows if initial is None else initial),
        }

    def management_sweep(self) -> None:
        for value in BAD_COUNTS:
            self.post(self.counts(value), f"TOTAL_FORMS={value}", untouchable=True)
            self.post(self.counts(self.rows, value), f"INITIAL_FORMS={value}", untouchable=True)
        # More existing rows claimed than the page has: rows with no id.
        self.post(self.counts(self.rows + 3, self.rows + 3), "INITIAL_FORMS past the rows", untouchable=True)

    def row_sweep(self, form) -> None:
        """An existing row: its id, its parent key, DELETE, and each field."""
        pk_key = form.add_prefix(self.formset.model._meta.pk.name)
        theirs = [str(pk) for model, pk in self.sweep.others.items() if model is self.formset.model]
        for value in [*BAD_IDS, *theirs]:
            self.post({pk_key: value}, f"row id={value}", untouchable=True)
        parent_key = self.parent_key(form)
        if parent_key:
            parents = [str(pk) for model, pk in self.sweep.others.items() if model is self.sweep.model]
            for value in [*BAD_IDS, *parents]:
                self.post({parent_key: value}, f"parent key={value}", untouchable=True)
        # Allowed only to whom may delete the inline's rows; else ignored, nothing changed.
        may_delete = self.inline.has_delete_permission and "DELETE" in form.fields
        self.post({form.add_prefix("DELETE"): "on"}, "DELETE row 0", untouchable=not may_delete)
        self.fields_sweep(form, {})

    def new_row_sweep(self) -> None:
        index = self.formset.total_form_count()
        form = self.formset.empty_form
        new_row = {key.replace("__prefix__", str(index)): value for key, value in form_data(form).items()}
        self.fields_sweep(form, {**self.counts(index + 1), **new_row}, index=index)

    def fields_sweep(self, form, extra: dict, index: int | None = None) -> None:
        skipped = {self.formset.model._meta.pk.name, "DELETE"}
        for name, form_field in form.fields.items():
            if form_field.disabled or name in skipped or form.add_prefix(name) == self.parent_key(form):
                continue
            for key, value in hostile_values(form, name, form_field, self.sweep.others):
                if index is not None:  # the empty form's names, at the new row's index
                    key = _at(key, index)
                self.post(
                    {**extra, **key_values(key, value)},
                    f"{key}={value!r}"[:80],
                    foreign=self.sweep.foreign(value),
                )

    def parent_key(self, form) -> str:
        if isinstance(self.formset, BaseGenericInlineFormSet):
            return ""  # the content type and object id are not in the form
        return form.add_prefix(self.formset.fk.name)


def _at(key: str | tuple, index: int) -> str | tuple:
    if isinstance(key, tuple):
        return tuple(part.replace("__prefix__", str(index)) for part in key)
    return key.replace("__prefix__", str(index))


def _post(
    sweep, url: str, models: list, data: dict, what: str, *, untouchable: bool = False, **check
) -> None:
    """`untouchable`: the inline's rows (models[1:]) may not change whatever the answer; the
    page's own row may, as any save of the page changes it (with a redirect, never an error)."""
    with transaction.atomic():
        before = _snapshot(models)
        response = sweep.client.post(url, data)
        try:
            after = _snapshot(models)
        except DatabaseError:  # the request left the savepoint unusable: its 500 says so
            after = before
        transaction.set_rollback(True)
    sweep.result.check(response, sweep.what(url, what), changed=after != before, **check)
    if untouchable and after[1:] != before[1:] and response.status_code < 500:
        sweep.result.failed.append(f"{response.status_code} but changed inline rows: {sweep.what(url, what)}")


def _snapshot(models: list) -> list:
    return [list(model._base_manager.order_by("pk").values_list()) for model in models]
