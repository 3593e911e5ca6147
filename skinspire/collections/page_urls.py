"""The patient's pages, under /pay/ (no login)."""

from django.urls import path

from skinspire.collections import pages

urlpatterns = [
    path("checkout/<str:reference>/return", pages.checkout_return, name="collections-checkout-return"),
    path("receipt/<str:reference>", pages.receipt, name="collections-receipt"),
]
