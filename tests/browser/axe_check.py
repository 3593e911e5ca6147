"""axe-core in the browser tests (tests/browser/test_accessibility.py): the copy bundled in
axe-playwright-python, evaluated in the page by Playwright, so nothing is loaded from another
host; WCAG 2.1 A and AA rules decide, best practices are only noted."""

import json
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

REPORTS = Path(__file__).resolve().parents[2] / "var" / "accessibility"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
AXE = Axe()

# Rules left out on Django admin's own pages, whose templates and CSS are Django's, not ours
# (we add a favicon link, the login form's code field and the two-factor pages' content):
# its breadcrumbs are links told apart from the text around them by colour alone.
DJANGO_ADMIN_RULES_SKIPPED = ("link-in-text-block",)


# Elements whose aria-describedby, aria-labelledby or aria-controls names an id the page does
# not have. axe only asks for a review of these ("incomplete"), as the element may come later;
# on these server-drawn pages it never does, and the help or label is then never read out.
MISSING_REFERENCES = """() => Array.from(document.querySelectorAll(
    "[aria-describedby], [aria-labelledby], [aria-controls]"))
  .flatMap((element) => ["aria-describedby", "aria-labelledby", "aria-controls"]
    .flatMap((name) => (element.getAttribute(name) || "").split(/\\s+/).filter(Boolean)
      .filter((id) => !document.getElementById(id))
      .map((id) => `${element.tagName.toLowerCase()}#${element.id} ${name}=${id}`)))"""


class Findings:
    """What axe said of each page, by the page's name: `failing` (a WCAG 2.1 A/AA rule's
    serious or critical violation, or a reference to a missing id), `noted` (the rest, best
    practices included) and `incomplete` (what axe could not decide, e.g. the contrast of
    text in an SVG)."""

    def __init__(self) -> None:
        self.failing: dict[str, list[str]] = {}
        self.noted: dict[str, list[str]] = {}
        self.incomplete: dict[str, list[str]] = {}

    def check(self, page, name: str, *, skip_rules: tuple[str, ...] = ()) -> None:
        """Runs axe on the page as it is now. Only the `media` assets are preloaded: the
        `cssom` preload copies each stylesheet's @import into an inline <style>, which the
        Content-Security-Policy refuses (Django admin's forms.css imports widgets.css); the
        one rule that reads it, css-orientation-lock, is experimental and not run anyway."""
        # After a click, a test's wait for some text can return while the stylesheet and the
        # scripts are still loading; axe judges the page as drawn once they have.
        page.wait_for_load_state("load")
        options: dict = {
            "runOnly": {"type": "tag", "values": [*WCAG_21_AA, "best-practice"]},
            "resultTypes": ["violations", "incomplete"],
            "preload": {"assets": ["media"]},
        }
        if skip_rules:
            options["rules"] = {rule: {"enabled": False} for rule in skip_rules}
        results = AXE.run(page, options=options).response
        for violation in results["violations"]:
            wcag = bool(set(violation["tags"]) & set(WCAG_21_AA))
            found = self.failing if wcag and violation["impact"] in FAILING_IMPACTS else self.noted
            found.setdefault(name, []).append(described(violation))
        for undecided in results["incomplete"]:
            self.incomplete.setdefault(name, []).append(described(undecided))
        for missing in page.evaluate(MISSING_REFERENCES):
            self.failing.setdefault(name, []).append(f"a reference to no element: {missing}")

    def assert_none_serious(self, report_name: str) -> None:
        """Keeps everything found in var/accessibility/<report_name>.json (git-ignored, like
        the screenshots); fails on the serious and critical ones, naming their pages."""
        REPORTS.mkdir(parents=True, exist_ok=True)
        body = {"failing": self.failing, "noted": self.noted, "incomplete": self.incomplete}
        (REPORTS / f"{report_name}.json").write_text(json.dumps(body, indent=2, ensure_ascii=False))
        assert self.failing == {}, json.dumps(self.failing, indent=2, ensure_ascii=False)


def described(result: dict) -> str:
    targets = [" ".join(str(part) for part in node["target"]) for node in result["nodes"]]
    return f"{result['id']} ({result['impact']}): {result['help']} at {targets[:5]}"
