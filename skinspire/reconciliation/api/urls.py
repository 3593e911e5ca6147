"""The reconciliation API, included under /api/ by skinspire/urls.py."""

from django.urls import path

from skinspire.reconciliation.api import views

urlpatterns = [
    path("reconciliation/runs", views.RunListApi.as_view(), name="reconciliation-run-list"),
    path("reconciliation/runs/<int:run_id>", views.RunDetailApi.as_view(), name="reconciliation-run-detail"),
    path(
        "reconciliation/discrepancies",
        views.DiscrepancyListApi.as_view(),
        name="reconciliation-discrepancy-list",
    ),
]
