"""Crawl the site as a signed-in person and list every reference to another host.

Hospitals run the site on intranets: a page, style sheet or script that points at another
host is a blank page there (and a leak everywhere). Pages are fetched with Django's test
client; the CSS and JS they load are read from the static files (or fetched, when a view
serves them) and scanned too.
"""

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

URL_ATTRIBUTES = {
    "src",
    "href",
    "srcset",
    "poster",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "background",
}
ANY_URL = r"""['"]?\s*([^'")\s;]+)"""
CSS_REFERENCES = [
    re.compile(r"url\(\s*" + ANY_URL, re.I),
    re.compile(r"@import\s+(?:url\(\s*)?" + ANY_URL, re.I),
]
EXTERNAL = r"""((?:https?:)?//[^'"`)\s\\;,]+)"""
# A script's http(s) URLs are mostly links, XML namespaces and licence notes; these are the
# forms in which a script makes the browser load one.
JS_RESOURCE_USES = [
    re.compile(r"""url\(\s*\\?['"]?\s*""" + EXTERNAL, re.I),
    re.compile(r"""@import\s+(?:url\(\s*)?\\?['"]?\s*""" + EXTERNAL, re.I),
    re.compile(r"""\b(?:src|href|srcset|poster|action|data)\s*=\s*\\?['"]?\s*""" + EXTERNAL, re.I),
    re.compile(r"""\b(?:src|srcSet|poster)\s*:\s*['"`]""" + EXTERNAL),
    re.compile(
        r"""\b(?:fetch|importScripts|Worker|SharedWorker|import|EventSource|WebSocket|sendBeacon)\s*\(\s*['"`]"""
        + EXTERNAL
    ),
    re.compile(r"""\.(?:src|href)\s*=\s*['"`]""" + EXTERNAL),
]


def is_foreign(url: str) -> bool:
    """Whether `url` names another host. The site's own names are its ALLOWED_HOSTS (in tests:
    testserver, and sandbox.testserver, the name the sandbox's demo URLs use)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("", "http", "https", "ws", "wss", "ftp"):
        return False  # data:, mailto:, javascript:, blob:
    return bool(parts.netloc) and parts.hostname not in settings.ALLOWED_HOSTS


# Not "}}": pretty-printed JSON (a webhook's payload in admin) ends nested objects so.
TEMPLATE_MARKS = ("{#", "#}", "{%", "%}", "{{")


@dataclass
class Finding:
    where: str  # the page or file
    what: str  # the attribute, CSS rule or script use
    url: str

    def __str__(self):
        return f"{self.where}: {self.what} -> {self.url}"


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.references: list[tuple[str, str]] = []  # (tag.attribute, value)
        self.links: list[str] = []
        self.resources: list[tuple[str, str]] = []  # (css or js, url): the files that are scanned too
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.text: list[str] = []  # what a reader sees: the data outside scripts and styles
        self._inside: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        for name, value in attributes.items():
            if name in URL_ATTRIBUTES:
                values = (
                    [part.split()[0] for part in value.split(",") if part.strip()]
                    if name == "srcset"
                    else [value]
                )
                self.references.extend((f"<{tag} {name}>", each) for each in values)
            elif name == "style":
                self.styles.append(value)
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            self.references.append(("<meta refresh>", attributes.get("content", "").partition("url=")[2]))
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "script" and attributes.get("src"):
            self.resources.append(("js", attributes["src"]))
        rels = set(attributes.get("rel", "").lower().split())
        if tag == "link" and rels & {"stylesheet", "preload", "modulepreload"} and attributes.get("href"):
            self.resources.append(("js" if "modulepreload" in rels else "css", attributes["href"]))
        self._inside = tag if tag in ("style", "script") and not attributes.get("src") else None

    def handle_endtag(self, tag):
        self._inside = None

    def handle_data(self, data):
        if self._inside == "style":
            self.styles.append(data)
        elif self._inside == "script":
            self.scripts.append(data)
        else:
            self.text.append(data)

    def template_syntax_shown(self) -> list[str]:
        """Template tags or comments that reached the page as text: a `{# #}` comment spans
        one line only, so one written over two is printed to every reader."""
        shown = "".join(self.text)
        return [mark for mark in TEMPLATE_MARKS if mark in shown]


@dataclass
class Crawl:
    client: Client
    findings: list[Finding] = field(default_factory=list)
    template_text: list[Finding] = field(default_factory=list)  # template syntax a page shows as text
    pages: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # url -> kind, each scanned once

    def run(self, seeds: list[str], *, limit: int) -> None:
        queue, seen = deque(seeds), set(seeds)
        while queue:
            if len(self.pages) >= limit:
                raise AssertionError(f"more than {limit} pages: raise the limit, so no page goes unchecked")
            url = queue.popleft()
            for link in self.visit(url):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)

    def visit(self, url: str) -> list[str]:
        response = self.client.get(url)
        if response.status_code in (301, 302, 303, 307, 308):
            return [] if is_foreign(response["Location"]) else [urljoin(url, response["Location"])]
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        if not response["Content-Type"].startswith("text/html"):
            return []
        self.pages.append(url)
        parser = PageParser()
        parser.feed(response.content.decode())
        self.findings += [Finding(url, what, value) for what, value in parser.references if is_foreign(value)]
        self.template_text += [Finding(url, "text", mark) for mark in parser.template_syntax_shown()]
        for style in parser.styles:
            self.scan_css(url, style, base=url)
        for script in parser.scripts:
            self.scan_js(url, script)
        for kind, resource in parser.resources:
            if not is_foreign(resource):
                self.scan_file(urljoin(url, resource), kind=kind)
        return [self.page_link(url, link) for link in parser.links if self.followable(link)]

    @staticmethod
    def followable(link: str) -> bool:
        # Links to the site's other names are data (a gateway's configured base URL), not pages.
        parts = urlsplit(link)
        return (
            parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver") and bool(parts.path)
        )

    @staticmethod
    def page_link(page: str, link: str) -> str:
        # Sort and filter variants of a list render the same files: one visit per path.
        return urlsplit(urljoin(page, link)).path

    def scan_file(self, url: str, *, kind: str) -> None:
        if url in self.files:
            return
        self.files[url] = kind
        text = self.read(url)
        if kind == "css":
            self.scan_css(url, text, base=url)
        else:
            self.scan_js(url, text)

    def read(self, url: str) -> str:
        path = urlsplit(url).path
        if path.startswith(f"/{settings.STATIC_URL.strip('/')}/"):
            found = finders.find(path.split("/", 2)[2])
            assert found, f"{url} is not a static file"
            with open(found, encoding="utf-8", errors="replace") as file:
                return file.read()
        response = self.client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        return response.content.decode("utf-8", errors="replace")

    def scan_css(self, where: str, css: str, *, base: str) -> None:
        for pattern in CSS_REFERENCES:
            for reference in pattern.findall(css):
                if is_foreign(reference):
                    self.findings.append(Finding(where, "css", reference))
                elif urlsplit(reference).path.endswith(".css"):
                    self.scan_file(urljoin(base, reference), kind="css")

    def scan_js(self, where: str, script: str) -> None:
        for pattern in JS_RESOURCE_USES:
            self.findings += [
                Finding(where, "script", url) for url in pattern.findall(script) if is_foreign(url)
            ]
