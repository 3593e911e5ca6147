from django.shortcuts import render

from skinspire.gateways.sandbox.models import SandboxMerchant


def index(request):
    return render(request, "sandbox/index.html", {"merchants": SandboxMerchant.objects.all()})
