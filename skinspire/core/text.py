"""Words in messages, memos and pages."""


def counted(number: int, singular: str, plural: str = "") -> str:
    """ "1 line", "2 lines", "3 discrepancies": a count with its noun in the right number, for
    the ledger's memos and the messages people read ("(1 lines)" and "item(s)" read badly)."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
