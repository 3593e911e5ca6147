"""Fuzzing the sandbox: its routes, read from its URLconf, and their URLs filled in.

Routes are enumerated from `skinspire.sandbox.urls`, so a route added later is
fuzzed without touching this module. The bad values come from skinspire.core.tests.bad_input.
"""

import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RegexPattern
from hypothesis import HealthCheck, given, note, seed, settings
from hypothesis import strategies as st

from skinspire.core.tests import bad_input
from skinspire.core.tests.bad_input import ALL_METHODS, EVIL_TEXT, any_text, chance, path_segment
from skinspire.sandbox import urls as sandbox_urls

PREFIX = "/sandbox/"
# Hosted pages take form POSTs behind Django's CSRF check: a matching cookie and header.
CSRF_TOKEN = "FuzzCsrfToken0123456789abcdefghi"
CSRF_HEADERS = {"Cookie": f"csrftoken={CSRF_TOKEN}", "X-CSRFToken": CSRF_TOKEN}
_CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    """One sandbox URL pattern: `pattern` relative to /sandbox/, its view and methods."""

    pattern: str
    view_module: str
    methods: tuple[str, ...]
    int_parameters: frozenset[str] = field(default_factory=frozenset)
    catch_all: bool = False

    @property
    def protocol(self) -> str:
        return self.pattern.split("/", 1)[0]

    @property
    def is_page(self) -> bool:
        """A hosted HTML page (checkout, link page) of a protocol, rather than its JSON API."""
        return self.view_module.endswith(".pages")

    def __str__(self) -> str:
        return self.pattern or "index"


def _walk(patterns, prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
            continue
        assert isinstance(entry, URLPattern)
        text = str(entry.pattern)
        converters = getattr(entry.pattern, "converters", {})
        callback = entry.callback
        yield Route(
            pattern=prefix + text.lstrip("^").rstrip("$"),
            view_module=callback.__module__,
            # Razorpay's dispatcher names its methods; Django's require_* decorators do not.
            methods=tuple(getattr(callback, "allowed_methods", ("GET", "POST"))),
            int_parameters=frozenset(
                name for name, converter in converters.items() if isinstance(converter, IntConverter)
            ),
            catch_all=isinstance(entry.pattern, RegexPattern),
        )


def sandbox_routes() -> list[Route]:
    return list(_walk(sandbox_urls.urlpatterns))


def fill_path(draw, route: Route, ids_for) -> str:
    """The route's URL with each parameter drawn from known ids (`ids_for(name, segment)`)
    or from evil text; a catch-all route gets random segments."""
    if route.catch_all:
        tail = draw(st.lists(any_text, min_size=1, max_size=3))
        return PREFIX + route.pattern + "/".join(path_segment(part) for part in tail)
    path, position = "", 0
    for match in _CONVERTER.finditer(route.pattern):
        path += route.pattern[position : match.start()]
        name = match.group("name")
        segment = route.pattern[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        if name in route.int_parameters:
            value = draw(st.one_of(st.sampled_from(ids_for(name, segment) or [1]), st.integers(-5, 10**12)))
            path += str(value)
        else:
            known = ids_for(name, segment)
            choices = [st.sampled_from(known)] if known and chance(draw, 6) else []
            value = draw(st.one_of(*choices, st.sampled_from(EVIL_TEXT), any_text.filter(bool)))
            path += path_segment(str(value)) or "x"
        position = match.end()
    return PREFIX + path + route.pattern[position:]


def method_for(draw, route: Route) -> str:
    return draw(st.sampled_from(route.methods if route.methods and chance(draw, 9) else ALL_METHODS))


def fuzz_each_route(
    routes: list[Route], *, examples: int, request_for: Callable[[Route], st.SearchStrategy], check: Callable
) -> None:
    """`examples` requests to each route, all against the state the caller built once (each is
    rolled back). Each route has its own seed: routes see different inputs, reruns the same."""
    client = bad_input.wsgi_client()
    for route in routes:
        _fuzz_route(route, examples=examples, request_for=request_for, check=check, client=client)


def _fuzz_route(route: Route, *, examples: int, request_for, check, client) -> None:
    @seed(zlib.crc32(str(route).encode()))
    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(data=st.data())
    def run(data):
        note(f"route: {route}")
        response = bad_input.send_isolated(data.draw(request_for(route)), client)
        check(route, response)

    run()
