"""The patient's pages, under /pay/ (no login)."""

from django.urls import path

from skinspire.collections import link_pages, pages

urlpatterns = [
    path("checkout/<str:reference>/return", pages.checkout_return, name="collections-checkout-return"),
    path(
        "checkout/<str:reference>/cancelled", pages.checkout_cancelled, name="collections-checkout-cancelled"
    ),
    path("receipt/<str:reference>", pages.receipt, name="collections-receipt"),
    path("link/<str:token>", link_pages.link_page, name="collections-link-page"),
    path("link/<str:token>/return", link_pages.link_return, name="collections-link-return"),
]
