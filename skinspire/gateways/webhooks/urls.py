from django.urls import path

from skinspire.gateways.webhooks import views

urlpatterns = [
    path("razorpay", views.razorpay_webhook, name="gateway-webhook-razorpay"),
    path("paytm", views.paytm_webhook, name="gateway-webhook-paytm"),
]
