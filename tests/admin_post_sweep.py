"""Every admin form, action and object page given values no form should take, as every role
that may reach it: what answered 5xx, or changed a row while answering an error, is returned.

The world is the demo seed (a user per role in the demo hospital, a superuser, rows of most
models), a discrepancy to resolve, a scheduled task, and another hospital with rows of its
own, whose ids are the foreign keys a role must not be able to name. Each request runs in a
savepoint that is rolled back, so every one meets the same rows. One hostile value per kind
per field, each in an otherwise unchanged form (so a value the form lets through reaches the
save). A change form's inline rows are swept by tests/admin_inline_sweep.py.
"""

import io
import sys
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import DatabaseError, models, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from skinspire.core.models import User

TOO_BIG = "99999999999999999999"  # past 64 bits
LONG = "x" * 100_000  # for text without a max_length: past what a page should carry
NUL = "a\x00b"
ROLE_USERS = ["admin", "gatewayadmin", "payments", "approver", "accountant"]  # the demo seed's
# Ids no row has, of no type an id has: text, past 64 bits, NUL (in a URL, percent-encoded).
BAD_OBJECT_IDS = ["abc", TOO_BIG]
NUL_OBJECT_ID = "%00"  # refused by NullCharacterMiddleware before admin: tried on delete only


@dataclass
class Result:
    tried: int = 0
    failed: list[str] = field(default_factory=list)
    last_error: str = ""

    def note_error(self, sender, request=None, **kwargs) -> None:
        error = sys.exc_info()[1]
        self.last_error = f"{type(error).__name__}: {str(error)[:120]}"

    def check(
        self, response, what: str, *, changed: bool = False, foreign: bool = False, untouchable: bool = False
    ) -> None:
        """`foreign`: the value names another hospital's row, which the role may not choose;
        `untouchable`: nothing may change whatever the answer (an action on such rows)."""
        self.tried += 1
        if response.status_code >= 500:
            self.failed.append(f"{response.status_code} {what} {self.last_error}")
        elif changed and (response.status_code != 302 or untouchable):
            self.failed.append(f"{response.status_code} but changed: {what}")
        elif foreign and response.status_code == 302:
            self.failed.append(f"{response.status_code} another hospital's row accepted: {what}")


def world() -> dict:
    """The demo seed, a discrepancy, a scheduled task, and another hospital with a row of every model its
    foreign keys point at; returns the other hospital's ids by model."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from skinspire.collections.tests.factories import BillFactory, PatientFactory
    from skinspire.core.tests.factories import BranchFactory, HospitalFactory
    from skinspire.gateways.models import GatewayConfiguration
    from skinspire.gateways.tests.factories import GatewayConfigurationFactory
    from skinspire.payouts.tests.factories import SupplierFactory, SupplierInvoiceFactory
    from skinspire.reconciliation.models import Discrepancy, ReconciliationItem, ReconciliationRun

    call_command("seed_demo", stdout=io.StringIO())
    configuration = GatewayConfiguration.objects.without_secrets().order_by("pk").first()
    run = ReconciliationRun.objects.create(
        hospital=configuration.hospital,
        configuration=configuration,
        run_date=date(2026, 4, 20),
        trigger="manual",
    )
    ReconciliationItem.objects.create(
        run=run, side="gateway", key="pay_lost", group="pay_lost", category="missing_in_system", match_pass="none",
        rule="not in our records", score="0", kind="collection", row_status="success", gateway_id="pay_lost",
        transaction_date=run.run_date, amount="40.00", amount_difference="40.00", fee_difference="0",
    )  # fmt: skip
    Discrepancy.objects.create(
        hospital=configuration.hospital, configuration=configuration, fingerprint="f" * 64, category="missing_in_system",
        run_date=run.run_date, first_run=run, last_run=run, gateway_keys=["pay_lost"], summary="A gateway line we lack",
        amount_difference="40.00",
    )  # fmt: skip
    # A schedule with a task: its page lists the task as an inline row (django-celery-beat).
    every_hour = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    PeriodicTask.objects.create(name="Sweep: hourly", task="skinspire.core.tasks.sweep", interval=every_hour)
    other = HospitalFactory(name="Other Hospital", code="other")
    rows = [other, BranchFactory(hospital=other), GatewayConfigurationFactory(hospital=other)]
    supplier = SupplierFactory(hospital=other)
    bill = BillFactory(branch=rows[1], patient=PatientFactory(hospital=other))
    rows += [supplier, SupplierInvoiceFactory(supplier=supplier), bill, bill.patient]
    return {type(row): row.pk for row in rows}  # type: ignore[attr-defined]


# The sweep in parts, each a test of its own so that xdist's workers share it: a role each, and
# the superuser's pages (most of the time: every page, and the inlines' tampered counts) in three,
# by app. Together every role's every page; each request meets the same rows, whatever part it is in.
SUPERUSER_PART_OF_APP = {"core": 1, "auth": 1, "django_celery_beat": 2, "gateways": 2}  # any other: 3
PARTS = ["admin:1", "admin:2", "admin:3", *ROLE_USERS[1:]]


def in_part(part: str, model: type[models.Model]) -> bool:
    number = part.partition(":")[2]
    return not number or SUPERUSER_PART_OF_APP.get(model._meta.app_label, 3) == int(number)


def sweep(client: Client, others: dict, parts: list[str] = PARTS) -> Result:
    """Every admin page that takes input, as each role of `parts` (each logged in on `client`)."""
    result = Result()
    got_request_exception.connect(result.note_error)
    for part in parts:
        user = User.objects.get(username=part.partition(":")[0])
        client.force_login(user)
        for model, model_admin in admin.site._registry.items():
            if in_part(part, model):
                RoleSweep(client, user, model, model_admin, others, result).run()
    got_request_exception.disconnect(result.note_error)
    return result


@dataclass
class RoleSweep:
    client: Client
    user: User
    model: type[models.Model]
    model_admin: admin.ModelAdmin
    others: dict
    result: Result

    def url(self, name: str, *args) -> str:
        return reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_{name}", args=args)

    def what(self, url: str, value) -> str:
        return f"{self.user.username} {url} {str(value)[:80]!r}"

    def run(self) -> None:
        request = RequestFactory().get(self.url("changelist"))
        request.user = self.user
        model_admin = self.model_admin
        if not model_admin.has_view_or_change_permission(request):
            return
        row = model_admin.get_queryset(request).order_by("pk").first()
        if model_admin.has_add_permission(request):
            self.form_sweep(self.url("add"), None)
        if row is not None and model_admin.has_change_permission(request, row):
            self.form_sweep(self.url("change", row.pk), row)
        elif row is not None and model_admin.inlines:
            self.view_only_sweep(self.url("change", row.pk))
        self.object_pages_sweep()
        actions = model_admin.get_actions(request)
        if actions:
            self.actions_sweep(sorted(actions), row)

    def isolated(self, send):
        """The response to `send()` and whether the table changed, in a rolled-back savepoint."""
        with transaction.atomic():
            before = self.snapshot()
            response = send()
            try:
                changed = self.snapshot() != before
            except DatabaseError:  # the request left the savepoint unusable: its 500 says so
                changed = False
            transaction.set_rollback(True)
        return response, changed

    def snapshot(self) -> list:
        return list(self.model._base_manager.order_by("pk").values_list())

    def post(self, url: str, data: dict, value, *, foreign: bool = False, untouchable: bool = False) -> None:
        response, changed = self.isolated(lambda: self.client.post(url, data))
        self.result.check(
            response, self.what(url, value), changed=changed, foreign=foreign, untouchable=untouchable
        )

    def form_sweep(self, url: str, row) -> None:
        page = self.client.get(url)
        self.result.check(page, self.what(url, "GET"))
        if page.status_code != 200:
            return
        form = page.context["adminform"].form
        baseline = form_data(form)
        formsets = [inline.formset for inline in page.context["inline_admin_formsets"]]
        for formset in formsets:
            baseline.update(management_data(formset))
        self.post(url, {}, "empty POST")
        if formsets:
            self.post(url, form_data(form), "no management form")
            if row is not None:
                from tests.admin_inline_sweep import inline_sweep  # it builds on this module's helpers

                inline_sweep(self, url, baseline, page.context["inline_admin_formsets"])
        for name, form_field in form.fields.items():
            if form_field.disabled:
                continue
            for key, value in hostile_values(form, name, form_field, self.others):
                self.post(
                    url,
                    {**baseline, **key_values(key, value)},
                    f"{name}={value!r}"[:80],
                    foreign=self.foreign(value),
                )

    def view_only_sweep(self, url: str) -> None:
        page = self.client.get(url)
        self.result.check(page, self.what(url, "GET"))
        if page.status_code == 200:
            from tests.admin_inline_sweep import view_only_inline_post  # it builds on this module's helpers

            view_only_inline_post(self, url, page)

    def foreign(self, value) -> bool:
        """Whether `value` is another hospital's id, posted by someone who is not a superuser."""
        ids = {str(pk) for pk in self.others.values()}
        values = value if isinstance(value, list) else [value]
        return (
            not self.user.is_superuser
            and any(item in ids for item in values)
            and isinstance(value, (str, list))
        )

    def object_pages_sweep(self) -> None:
        for object_id in BAD_OBJECT_IDS:
            for page in ("change", "history", "delete"):
                url = self.url(page, "0").replace("/0/", f"/{object_id}/")
                response = self.client.get(url)
                self.result.check(response, self.what(url, "GET"))
        for object_id in [*BAD_OBJECT_IDS, NUL_OBJECT_ID]:
            url = self.url("delete", "0").replace("/0/", f"/{object_id}/")
            self.post(url, {"post": "yes"}, "delete", untouchable=True)

    def actions_sweep(self, actions: list[str], row) -> None:
        url = self.url("changelist")
        others = [str(pk) for model, pk in self.others.items() if model is self.model]
        hostile_ids = [["abc"], [TOO_BIG], [NUL], ["-1"], [*others] if not self.user.is_superuser else []]
        for action in actions:
            for ids in filter(None, hostile_ids):
                data = {"action": action, ACTION_CHECKBOX_NAME: ids, "index": "0"}
                # No id here is of a row the role may act on: nothing may change.
                self.post(url, data, f"{action} {ids!r}", untouchable=True)
            if action == "delete_selected":  # the confirmation page's own POST
                self.post(url, {"action": action, ACTION_CHECKBOX_NAME: ["abc"], "post": "yes"}, "confirmed")
            if row is not None:
                self.action_form_sweep(url, action, row)

    def action_form_sweep(self, url: str, action: str, row) -> None:
        """An action that asks for more (a form on an intermediate page): its form's fields,
        each given hostile values, for a row the role may act on."""
        selected = {"action": action, ACTION_CHECKBOX_NAME: [str(row.pk)], "index": "0"}
        page, _ = self.isolated(lambda: self.client.post(url, selected))
        self.result.check(page, self.what(url, f"{action} (intermediate page)"))
        form = (page.context or {}).get("form") if page.status_code == 200 else None
        if not isinstance(form, forms.BaseForm):
            return
        baseline = {**selected, **form_data(form)}
        for name, form_field in form.fields.items():
            for key, value in hostile_values(form, name, form_field, self.others):
                self.post(
                    url,
                    {**baseline, **key_values(key, value)},
                    f"{action} {name}={value!r}"[:80],
                    foreign=self.foreign(value),
                )


def unwrapped(widget):
    return getattr(widget, "widget", widget)  # admin's related-object wrapper


def form_data(form: forms.BaseForm) -> dict:
    """What a browser would post for `form` as rendered, unchanged."""
    data: dict = {}
    for name, form_field in form.fields.items():
        if form_field.disabled or isinstance(form_field, forms.FileField):
            continue
        key, value, widget = form.add_prefix(name), form[name].value(), unwrapped(form_field.widget)
        if isinstance(widget, forms.MultiWidget):
            parts = value if isinstance(value, (list, tuple)) else widget.decompress(value) or []
            for suffix, part in zip(widget.widgets_names, parts, strict=False):  # type: ignore[attr-defined]
                data[key + suffix] = "" if part is None else str(part)
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(value, (list, tuple)):
            data[key] = [str(item) for item in value]
        else:
            data[key] = "" if value is None else str(value)
    return data


def management_data(formset) -> dict:
    """An inline formset's management form as rendered: its existing rows, none added."""
    management = formset.management_form
    data = {management.add_prefix(name): str(management[name].value() or 0) for name in management.fields}
    data.update(
        {key: value for inline_form in formset.initial_forms for key, value in form_data(inline_form).items()}
    )
    return data


def key_values(key, value) -> dict:
    """A field's posted values: a MultiWidget's parts each under its own name."""
    if isinstance(key, tuple):
        return dict(zip(key, value, strict=True))
    return {key: value}


def hostile_values(form: forms.BaseForm, name: str, form_field: forms.Field, others: dict) -> list:
    """(posted name or names, value) pairs: one hostile value per kind the field can be given."""
    key = form.add_prefix(name)
    widget = unwrapped(form_field.widget)
    if isinstance(widget, forms.MultiWidget):
        keys = tuple(key + suffix for suffix in widget.widgets_names)  # type: ignore[attr-defined]
        return [(keys, [bad] * len(keys)) for bad in ("2026-02-30", "99999-01-01")]
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        ids = [[TOO_BIG], [NUL], *([str(pk)] for pk in other_ids(form_field, others))]
        return [(key, value) for value in ids]
    if isinstance(form_field, forms.ModelChoiceField):
        return [(key, value) for value in [TOO_BIG, NUL, *map(str, other_ids(form_field, others))]]
    if isinstance(form_field, forms.JSONField):
        return [(key, value) for value in ["{", "1e999", "NaN"]]
    if isinstance(form_field, (forms.DecimalField, forms.FloatField)):
        return [(key, value) for value in ["NaN", "Infinity", "1e999"]]
    if isinstance(form_field, forms.IntegerField):
        return [(key, value) for value in [TOO_BIG, "-" + TOO_BIG]]
    if isinstance(form_field, (forms.DateField, forms.DateTimeField)):
        return [(key, value) for value in ["2026-02-30", "99999-01-01"]]
    if isinstance(form_field, forms.TimeField):
        return [(key, value) for value in ["25:61", NUL]]
    if isinstance(form_field, (forms.MultipleChoiceField, forms.TypedMultipleChoiceField)):
        return [(key, value) for value in [["no-such-choice"], [NUL]]]
    if isinstance(form_field, forms.ChoiceField):
        return [(key, value) for value in ["no-such-choice", NUL]]
    if isinstance(form_field, forms.BooleanField):
        return [(key, NUL)]
    if isinstance(form_field, forms.FileField):
        return []
    max_length = getattr(form_field, "max_length", None)
    return [(key, value) for value in ["x" * (max_length + 1) if max_length else LONG, NUL]]


def other_ids(form_field: forms.ModelChoiceField, others: dict) -> list[int]:
    """Another hospital's row of the field's model, if the world has one."""
    model = form_field.queryset.model  # type: ignore[union-attr]
    return [pk for other_model, pk in others.items() if other_model is model]
