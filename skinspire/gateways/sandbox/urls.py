from django.urls import path

from skinspire.gateways.sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("", views.index, name="index"),
]
