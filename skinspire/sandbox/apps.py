from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "skinspire.sandbox"
    label = "sandbox"
    verbose_name = "Sandbox gateway"
    default_auto_field = "django.db.models.BigAutoField"
    # Installed only where SANDBOX_ENABLED (settings/local.py, settings/test.py). The project
    # finds these while the app is installed, so nothing outside it names the sandbox:
    # skinspire/urls.py mounts skinspire.sandbox.urls at `url_prefix`, and the home page
    # (skinspire.core.home) links `home_places` (title, URL name, description).
    url_prefix = "sandbox/"
    home_places = (
        (
            "Sandbox gateway",
            "sandbox:index",
            "Development only: fake Razorpay and Paytm, their merchants and magic values.",
        ),
    )
