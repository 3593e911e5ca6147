from django.urls import path

from skinspire.workspace import views

urlpatterns = [
    path("scope/", views.scope_choose, name="workspace-scope"),
]
