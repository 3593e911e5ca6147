"""What "names the sandbox" means, for tests/test_sandbox_not_named.py (no tests here).

The sandbox stands where Razorpay and Paytm stand, behind a base URL (DESIGN), so product
code must work the same whether it is installed or not. Product code is every Python module
and template under skinspire/ and templates/ except:
- the sandbox itself (skinspire/sandbox/);
- test code: anything in a `tests` package, conftest.py, test_*.py;
- the settings of the two environments that install it (skinspire/settings/local.py and
  test.py): installing an app means naming it in INSTALLED_APPS.

A Python module names the sandbox when its code (not its comments or docstrings):
1. imports it: `import skinspire.sandbox...`, `from skinspire.sandbox... import x`,
   `from skinspire import sandbox`;
2. holds a dotted or file path into it in any string: "skinspire.sandbox..." or
   "skinspire/sandbox..." (INSTALLED_APPS, include(), Celery task names, import_module, mock targets);
3. uses one of its URL names: a string starting "sandbox:" (reverse("sandbox:index"));
4. refers to it by app label: a string that is exactly "sandbox" (get_model("sandbox", ...),
   get_app_config("sandbox")) or a model reference "sandbox.<Model>" ("sandbox.SandboxMerchant");
5. uses its templates, static files or URL paths: a string starting "sandbox/" or "/sandbox/".
A template names it with the same strings inside quotes ({% url 'sandbox:index' %},
{% static 'sandbox/x.css' %}, {% include "sandbox/x.html" %}, href="/sandbox/"), outside
{# #} and {% comment %}.

Not names: prose ("the sandbox's URL in development", a comment saying the sandbox is
reached by URL), setting names such as SANDBOX_BASE_URL and their values (the host name
"sandbox.testserver"), and Chromium's --no-sandbox flag.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SANDBOX_PACKAGE = "skinspire.sandbox"
INSTALLING_SETTINGS = {"skinspire/settings/local.py", "skinspire/settings/test.py"}
NAMING_STRING = re.compile(r"skinspire[./]sandbox\b|^/?sandbox[:/]|^sandbox(\.[A-Z]\w*)?$")
QUOTED_IN_TEMPLATE = re.compile(r"""["'](?:skinspire[./]sandbox\b|/?sandbox[:/]|sandbox\.[A-Z])[^"']*["']""")
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.DOTALL)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str


def is_product_file(relative: str) -> bool:
    parts = relative.split("/")
    name = parts[-1]
    return not (
        relative.startswith("skinspire/sandbox/")
        or "tests" in parts[:-1]
        or name == "conftest.py"
        or name.startswith("test_")
        or relative in INSTALLING_SETTINGS
    )


def product_files() -> list[str]:
    found = [
        path.relative_to(ROOT).as_posix()
        for folder in ("skinspire", "templates")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".py", ".html"} and "__pycache__" not in path.parts
    ]
    return sorted(relative for relative in found if is_product_file(relative))


def _imported_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return []


def _docstrings(tree: ast.Module) -> set[int]:
    owners = [
        tree,
        *(
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        ),
    ]
    return {
        id(owner.body[0].value)
        for owner in owners
        if owner.body
        and isinstance(owner.body[0], ast.Expr)
        and isinstance(owner.body[0].value, ast.Constant)
    }


def python_names(source: str, path: str = "<source>") -> list[Finding]:
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    findings = []
    for node in ast.walk(tree):
        imported = [
            module
            for module in _imported_modules(node)
            if module == SANDBOX_PACKAGE or module.startswith(f"{SANDBOX_PACKAGE}.")
        ]
        if imported and isinstance(node, ast.stmt):  # an import statement
            findings.append(Finding(path, node.lineno, f"imports {imported[0]}"))
        if (  # a string in the code (not a docstring) that names the sandbox
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and NAMING_STRING.search(node.value)
        ):
            findings.append(Finding(path, node.lineno, repr(node.value)))
    return findings


def template_names(source: str, path: str = "<template>") -> list[Finding]:
    # Comments are blanked, not removed, so line numbers stay right.
    code = TEMPLATE_COMMENT.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), source)
    return [
        Finding(path, code.count("\n", 0, match.start()) + 1, match.group())
        for match in QUOTED_IN_TEMPLATE.finditer(code)
    ]


def product_code_names() -> list[Finding]:
    findings = []
    for relative in product_files():
        source = (ROOT / relative).read_text(encoding="utf-8")
        scan = python_names if relative.endswith(".py") else template_names
        findings += scan(source, relative)
    return findings
