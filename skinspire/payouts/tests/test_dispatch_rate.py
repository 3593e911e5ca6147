"""The per-configuration dispatch rate: slots counted per second in the shared cache."""

import pytest

from skinspire.payouts.dispatch_rate import dispatch_slot_wait


class Clock:
    """Time that moves only when someone sleeps (the limiter's own waits)."""

    def __init__(self, start: float):
        self.now = start
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


def test_at_most_the_rate_per_second_per_configuration(settings):
    settings.PAYOUT_DISPATCH_RATE_PER_SECOND = 3
    clock = Clock(start=1_000_000.25)

    waits = [dispatch_slot_wait(configuration_id=7, clock=clock.time, sleep=clock.sleep) for _ in range(7)]

    assert [round(wait, 3) for wait in waits] == [0, 0, 0, 0.75, 0, 0, 1.0]
    assert clock.now == pytest.approx(1_000_002.0)
    # Another configuration has its own count.
    assert dispatch_slot_wait(configuration_id=8, clock=clock.time, sleep=clock.sleep) == 0


def test_the_default_is_eight_a_second(settings):
    clock = Clock(start=2_000_000.5)

    waits = [dispatch_slot_wait(configuration_id=1, clock=clock.time, sleep=clock.sleep) for _ in range(9)]

    assert waits.count(0) == 8 and clock.sleeps == [0.5]
