"""What the complaint search looks in: the columns and, on PostgreSQL, the indexed expressions.

Live code reads these; migrations m0004 (three characters or more) and m0009 (one or two
characters) keep their own frozen copies.
"""
from __future__ import annotations

SEARCH_COLUMNS = ("ticket", "complainant_name", "complainant_phone", "contract_no", "description")
PG_SEARCH_EXPRESSION = " || ' ' || ".join(f'"{c}"' for c in SEARCH_COLUMNS)

# --- one and two characters (migration m0009) -----------------------------------------------
# Words: "g" + each character and pair of characters of the name and the description (found
# anywhere), "p" + the first one and two characters of the ticket, phone and contract numbers
# (found by their beginning); ASCII letters folded to lower case, as SQLite's LIKE does.

SHORT_WORDS_LONGEST = 2  # queries this short use the word index
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_PG_LOWER = "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
PG_WORDS_EXPRESSION = "complaint_words({})".format(
    ", ".join(_PG_LOWER.format(f'"{c}"') for c in SEARCH_COLUMNS))


def short_words(text: str) -> tuple[str, str]:
    """The two words a search for ``text`` (one or two characters) looks up: anywhere in the
    name or description, or the beginning of a number."""
    folded = text.translate(_ASCII_LOWER)
    return "g" + folded, "p" + folded


def sqlite_token(word: str) -> str:
    """A word as the SQLite index holds it: its letter, then its UTF-8 bytes in hex."""
    return word[0] + word[1:].encode("utf-8").hex()


def sqlite_words(row: str) -> str:
    """SQL: the words of one complaint row (a table alias) as one space-separated string, as
    migration m0009's triggers write them (for writers that fill the index in bulk)."""

    def pairs(column: str) -> str:
        x = f'lower({row}."{column}")'
        return (f"coalesce((SELECT group_concat('g' || hex(substr({x}, n, 1)) || ' g' || "
                f"hex(substr({x}, n, 2)), ' ') FROM complaint_word_n "
                f'WHERE n <= length({row}."{column}")), \'\')')

    def prefix(column: str) -> str:
        x = f'lower({row}."{column}")'
        return f"'p' || hex(substr({x}, 1, 1)) || ' p' || hex(substr({x}, 1, 2))"

    return " || ' ' || ".join([pairs("complainant_name"), pairs("description"),
                               prefix("ticket"), prefix("complainant_phone"),
                               prefix("contract_no")])
