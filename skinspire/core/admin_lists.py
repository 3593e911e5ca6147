"""Admin lists of tables that grow with every payment: millions of rows within a year.

Django admin's defaults read the whole table on every page of such a list: it sorts by the
model's ordering (no index serves `-created_at`), counts the table twice when it is filtered
(the matching rows, and the total beside them), and a search compares every row with
`icontains`. `BigListAdminMixin` makes each page read only what it shows:

- newest first by the primary key (its index serves it: ids grow with insertion, so the
  order is the rows' creation order);
- the matching rows counted up to COUNT_CAP, then shown as "10,000+" (a filter or a search
  narrows the list; no page past the cap is offered), and no second count of the total;
- the search compares each `search_fields` column for equality (each has an index), as typed
  and upper-cased: staff look a row up by a reference or a gateway id they copy, not by a
  fragment of one;
- column sorts only on what `sortable_by` names (columns an index serves), even by a
  hand-written `?o=`.

A ModelAdmin itself; put it first among an admin's bases.
"""

from functools import cached_property
from typing import ClassVar, cast

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet

from skinspire.core.tenancy import user_branches

COUNT_CAP = 10_000


class CountAtLeast(int):
    """A count only known to exceed COUNT_CAP. An int for admin's arithmetic (pages, "show
    all"); shown as "10,000+" wherever a template prints it."""

    def __str__(self) -> str:
        return f"{COUNT_CAP:,}+"


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows: past the cap the exact number costs a read of every
    matching row, and tells staff nothing a filter would not."""

    @cached_property
    def count(self) -> int:
        rows = cast(QuerySet, self.object_list)  # admin and the workspace page querysets
        counted = rows.order_by()[: COUNT_CAP + 1].count()
        return CountAtLeast(counted) if counted > COUNT_CAP else counted


class BranchFilter(admin.RelatedFieldListFilter):
    """The branches the user may act in, each with its hospital read in the same query (a
    branch is named after its hospital: the default filter read each one's separately, and
    listed every hospital's branches)."""

    def field_choices(self, field, request, model_admin):
        branches = user_branches(request.user).select_related("hospital").order_by("hospital__name", "name")
        return [(branch.pk, str(branch)) for branch in branches]


class IndexedSortChangeList(ChangeList):
    """Sorts only by the columns `sortable_by` names, also when a link is written by hand
    (admin itself would sort by any column given in `?o=`)."""

    def get_ordering_field(self, field_name):
        if field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)


class BigListAdminMixin(admin.ModelAdmin):
    ordering = ["-pk"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    sortable_by: ClassVar[tuple[str, ...] | list[str] | None] = ()

    def get_changelist(self, request, **kwargs):
        return IndexedSortChangeList

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term or not self.search_fields:
            return queryset, False
        spellings = sorted({term, term.upper()})
        match = Q()
        for name in self.search_fields:
            match |= self.search_match(name, spellings)
        return queryset.filter(match), False

    def search_match(self, name: str, spellings: list[str]) -> Q:
        """Rows whose `name` is one of the spellings; an admin whose column's index needs
        more in its lookup (a leading column) says so here."""
        return Q(**{f"{name}__in": spellings})
