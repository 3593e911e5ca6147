"""The collections API, included under /api/ by skinspire/urls.py."""

from django.urls import path

from skinspire.collections.api import bills

urlpatterns = [
    path("bills", bills.BillListCreateApi.as_view(), name="collections-bill-list"),
    path("bills/<int:bill_id>", bills.BillDetailApi.as_view(), name="collections-bill-detail"),
]
