"""What every workspace list filters by: a GET form (a filtered list is a link), whose
branch starts at the branch the person works in. Invalid values are shown as errors and
left out, never a 500; querysets arrive already scoped by tenancy."""

from typing import Any, Protocol

from django import forms
from django.db.models import QuerySet

from skinspire.gateways.providers.schemas import provider_choices
from skinspire.workspace.scope import WorkingScope

ANY = [("", "Any")]
ALL_BRANCHES = "all"


class Statuses(Protocol):
    """A StateMachine, or a Choices class."""

    @property
    def choices(self) -> Any: ...


class ListFilterForm(forms.Form):
    """Subclasses set `statuses` (anything with `.choices`) and add fields; `narrow` applies
    theirs."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    status = forms.ChoiceField(label="Status", required=False)
    provider = forms.ChoiceField(label="Gateway", required=False)
    branch = forms.ChoiceField(label="Branch", required=False)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    statuses: Statuses

    def __init__(self, data, *, scope: WorkingScope, **kwargs):
        data = data.copy()
        if "branch" not in data:
            data["branch"] = str(scope.branch.pk) if scope.branch else ALL_BRANCHES
        super().__init__(data, **kwargs)
        self.scope = scope
        self.choice_field("status").choices = ANY + self.statuses.choices
        if "provider" in self.fields:  # a list with no gateway to filter by removes the field
            self.choice_field("provider").choices = ANY + provider_choices()
        self.choice_field("branch").choices = [(ALL_BRANCHES, "All my branches")] + [
            (str(item.pk), item.name) for item in scope.branches
        ]

    def choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField), f"{name} is not a choice field"
        return field

    def valid_data(self) -> dict:
        if self.is_valid():
            return self.cleaned_data
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}

    def apply(self, rows: QuerySet) -> QuerySet:
        data = self.valid_data()
        if self.scope.hospital is not None:
            rows = rows.filter(hospital=self.scope.hospital)
        if data.get("status"):
            rows = rows.filter(status=data["status"])
        if data.get("branch") not in (None, "", ALL_BRANCHES):
            rows = rows.filter(branch_id=int(data["branch"]))
        if data.get("date_from"):
            rows = rows.filter(created_at__date__gte=data["date_from"])
        if data.get("date_to"):
            rows = rows.filter(created_at__date__lte=data["date_to"])
        return self.narrow(rows, data)

    def narrow(self, rows: QuerySet, data: dict) -> QuerySet:
        raise NotImplementedError
