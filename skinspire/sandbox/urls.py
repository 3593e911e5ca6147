from django.urls import include, path

from skinspire.sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("", views.index, name="index"),
    # The sandbox's own controls (no gateway has them); see docs/sandbox-razorpay.md.
    path("control/settle-now", views.settle_now, name="control-settle-now"),
    # Razorpay: SDK base_url = <SANDBOX_BASE_URL>/razorpay (the SDK adds /v1/...).
    path("razorpay/", include("skinspire.sandbox.razorpay.urls")),
    # Paytm: PG host and payouts host are both <SANDBOX_BASE_URL>/paytm.
    path("paytm/", include("skinspire.sandbox.paytm.urls")),
]
