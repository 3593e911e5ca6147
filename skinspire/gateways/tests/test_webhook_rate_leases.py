"""The receiver's rate limit counts in leases (counters.within_rate): one Redis round trip
per lease, and across processes never more than the limit in a window."""

import threading

import pytest

from skinspire.gateways.webhooks import counters

KEY = "webhooks:rate:razorpay:203.0.113.9"


@pytest.fixture(autouse=True)
def no_leases_of_other_tests():
    counters.leases_forget()
    yield
    counters.leases_forget()


@pytest.fixture
def frozen_clock(monkeypatch):
    """Minute 1000 of the clock, halfway through, unless a test moves it."""
    now = [1000 * 60 + 30.0]
    monkeypatch.setattr(counters.time, "time", lambda: now[0])
    return now


class Processes:
    """Two processes: each keeps its own leases, both count in the same cache."""

    def __init__(self) -> None:
        self.leases: list[dict] = [{}, {}]

    def allows(self, process: int, *, limit: int) -> bool:
        counters._leases.clear()
        counters._leases.update(self.leases[process])
        try:
            return counters.within_rate(KEY, limit=limit)
        finally:
            self.leases[process] = dict(counters._leases)


def round_trips(monkeypatch) -> list[int]:
    calls: list[int] = []
    real_add = counters._add

    def counted(full_key, amount, *, seconds):
        calls.append(amount)
        return real_add(full_key, amount, seconds=seconds)

    monkeypatch.setattr(counters, "_add", counted)
    return calls


def test_two_processes_together_never_pass_the_limit(frozen_clock, monkeypatch):
    processes = Processes()
    calls = round_trips(monkeypatch)

    allowed = [processes.allows(number % 2, limit=300) for number in range(400)]

    # Leases of 3 (1 % of 300): each process may hold at most one lease unspent.
    assert 300 - 2 * 3 <= sum(allowed) <= 300
    assert allowed[:294] == [True] * 294
    assert allowed[-50:] == [False] * 50
    # One round trip per lease taken, and none once each process has seen the limit.
    assert len(calls) == 100 + 2
    assert set(calls) == {3}


def test_a_small_limit_is_counted_one_by_one(frozen_clock, monkeypatch):
    calls = round_trips(monkeypatch)

    allowed = [counters.within_rate(KEY, limit=5) for _ in range(8)]

    assert allowed == [True] * 5 + [False] * 3
    assert calls == [1] * 6  # the sixth finds the window spent; the rest ask nobody


def test_a_large_limit_costs_one_round_trip_per_hundred(frozen_clock, monkeypatch):
    calls = round_trips(monkeypatch)

    assert all(counters.within_rate(KEY, limit=30000) for _ in range(1000))

    assert calls == [100] * 10


def test_the_next_window_has_a_new_budget(frozen_clock):
    assert [counters.within_rate(KEY, limit=2) for _ in range(3)] == [True, True, False]

    frozen_clock[0] += 60

    assert [counters.within_rate(KEY, limit=2) for _ in range(3)] == [True, True, False]


def test_addresses_are_counted_apart(frozen_clock):
    assert [counters.within_rate(KEY, limit=1) for _ in range(2)] == [True, False]
    assert counters.within_rate(f"{KEY}0", limit=1)


def test_without_redis_the_cache_counts(frozen_clock, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert [counters.within_rate(KEY, limit=3) for _ in range(5)] == [True] * 3 + [False] * 2


def test_a_limit_of_zero_refuses_everything(frozen_clock):
    assert not counters.within_rate(KEY, limit=0)


def test_threads_each_with_their_own_cache_count_together(frozen_clock):
    # gunicorn's threads: each has its own cache backend (Django's caches are per thread), and
    # their leases add up in the one counter.
    errors: list[BaseException] = []
    allowed: list[bool] = []

    def deliveries() -> None:
        try:
            for _ in range(300):
                allowed.append(counters.within_rate(KEY, limit=1000))
                counters.leases_forget()  # a lease per call: as many round trips as possible
        except BaseException as error:  # noqa: BLE001 - collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=deliveries) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(allowed) == 8 * 300
    # Each call took a fresh lease of 10 and used one event of it: 100 leases fill the minute.
    assert allowed.count(True) == 1000 // counters.lease_size(1000) == 100
