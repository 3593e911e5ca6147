"""No product code imports or names the sandbox (DESIGN: it is reached only over HTTP, behind
a base URL). tests/sandbox_names.py defines what product code is and what naming means."""

import pytest

from tests.sandbox_names import (
    is_product_file,
    product_code_names,
    product_files,
    python_names,
    template_names,
)


def test_no_product_module_or_template_names_the_sandbox():
    assert product_code_names() == []


def test_the_scan_covers_product_code_and_leaves_out_the_sandbox_tests_and_installing_settings():
    scanned = product_files()
    assert {
        "skinspire/urls.py",
        "skinspire/core/home.py",
        "skinspire/core/schedules.py",
        "skinspire/gateways/manager.py",
        "skinspire/gateways/providers/razorpay/payments.py",
        "skinspire/settings/base.py",
        "skinspire/settings/production.py",
        "templates/home.html",
    } <= set(scanned)
    assert [path for path in scanned if path.startswith("skinspire/sandbox/") or "/tests/" in path] == []
    assert [
        is_product_file(path)
        for path in (
            "skinspire/sandbox/demo.py",
            "skinspire/sandbox/templates/sandbox/base.html",
            "skinspire/gateways/tests/test_x.py",
            "tests/e2e_support.py",
            "skinspire/settings/local.py",
            "skinspire/settings/test.py",
            "skinspire/sandbox_like.py",
        )
    ] == [False, False, False, False, False, False, True]


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("import skinspire.sandbox", "imports skinspire.sandbox"),
        ("import skinspire.sandbox.models as sandbox_models", "imports skinspire.sandbox.models"),
        ("from skinspire.sandbox.models import SandboxMerchant", "imports skinspire.sandbox.models"),
        ("from skinspire import sandbox", "imports skinspire.sandbox"),
        ('INSTALLED_APPS = ["skinspire.sandbox"]', "'skinspire.sandbox'"),
        ('include("skinspire.sandbox.urls")', "'skinspire.sandbox.urls'"),
        ('TASK = "skinspire.sandbox.tasks.retry_due"', "'skinspire.sandbox.tasks.retry_due'"),
        ('import_module(f"skinspire.sandbox.{name}")', "'skinspire.sandbox.'"),
        ('open("skinspire/sandbox/demo.py")', "'skinspire/sandbox/demo.py'"),
        ('reverse("sandbox:index")', "'sandbox:index'"),
        ('apps.get_app_config("sandbox")', "'sandbox'"),
        (
            'models.ForeignKey("sandbox.SandboxMerchant", on_delete=models.CASCADE)',
            "'sandbox.SandboxMerchant'",
        ),
        ('render(request, "sandbox/razorpay/checkout.html")', "'sandbox/razorpay/checkout.html'"),
        ('redirect("/sandbox/razorpay/checkout/order_1/")', "'/sandbox/razorpay/checkout/order_1/'"),
    ],
)
def test_each_way_of_naming_it_in_python_is_found(source, found):
    assert [finding.text for finding in python_names(source)] == [found]


@pytest.mark.parametrize(
    "source",
    [
        '"""The sandbox (skinspire.sandbox) is reached over HTTP: reverse("sandbox:index")."""',
        "def f():\n    '''Opens /sandbox/ in development.'''",
        "# from skinspire.sandbox import models",
        "SANDBOX_BASE_URL = env('SANDBOX_BASE_URL')",
        'ALLOWED = ["sandbox.testserver"]',
        'HELP = "API host; the sandbox\'s URL in development."',
        'ARGS = ["--no-sandbox"]',
        "import skinspire.sandboxes",
        'directive = "sandbox allow-forms"',
    ],
)
def test_prose_comments_docstrings_and_setting_names_are_not_names(source):
    assert python_names(source) == []


def test_templates_name_it_only_in_code_not_in_comments():
    template = (
        "{# {% url 'sandbox:index' %} #}\n"
        '{% comment %}<a href="/sandbox/">{% endcomment %}\n'
        "<p>In development the sandbox is on the home page.</p>\n"
        "<a href=\"{% url 'sandbox:index' %}\">Sandbox</a>\n"
        '{% static "sandbox/sandbox.css" %}\n'
    )
    assert [(finding.line, finding.text) for finding in template_names(template)] == [
        (4, "'sandbox:index'"),
        (5, '"sandbox/sandbox.css"'),
    ]
