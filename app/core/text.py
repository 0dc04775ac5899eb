"""Invisible characters that make a title or a name look like something it is not.

Titles and names are refused (with a clear message) when they hold any of these, on every
channel: control characters, the zero-width space, word joiner and byte-order mark, and the
bidirectional marks, embeddings, overrides and isolates (U+202E turns "gpj.exe" around).
The zero-width joiner and non-joiner stay allowed: emoji sequences and some scripts need them.
"""

INVISIBLE = frozenset(
    [chr(c) for c in range(0x00, 0x20)]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + ["\u061c", "\u200b", "\u200e", "\u200f", "\u2060", "\ufeff"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)


def has_invisible_characters(value: str | None) -> bool:
    """True when a one-line text (a title, a name) holds a character listed in INVISIBLE."""
    return bool(value) and any(ch in INVISIBLE for ch in value)
