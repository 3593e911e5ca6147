"""Figures the benchmarks print, worked out one way for all of them."""


def percentile(values: list[float], share: float) -> float:
    """The value `share` (0.5 for the median) of the way through `values`; NaN for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")
