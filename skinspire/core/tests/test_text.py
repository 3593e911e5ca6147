"""counted: a count with its noun in the right number."""

from skinspire.core.text import counted


def test_one_is_singular_and_every_other_count_plural():
    assert [counted(n, "line") for n in (0, 1, 2)] == ["0 lines", "1 line", "2 lines"]
    assert counted(1, "discrepancy", "discrepancies") == "1 discrepancy"
    assert counted(3, "discrepancy", "discrepancies") == "3 discrepancies"
