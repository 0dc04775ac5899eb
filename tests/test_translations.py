"""Both catalogs complete, nothing fuzzy, and the compiled .mo files match the .po files."""

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def catalog(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def entries(cat):
    return [m for m in cat if m.id]


@pytest.mark.parametrize("locale", ["lv", "en"])
def test_catalog_is_complete_and_not_fuzzy(locale):
    problems = []
    for message in entries(catalog(locale)):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if "fuzzy" in message.flags or not all(strings):
            problems.append(message.id)
    assert problems == []


@pytest.mark.parametrize("locale", ["lv", "en"])
def test_catalog_covers_the_template(locale):
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in entries(catalog(locale))}
    missing = [
        m.id for m in entries(template) if (m.id if isinstance(m.id, str) else m.id[0]) not in ids
    ]
    assert missing == []


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize("locale", ["lv", "en"])
def test_compiled_catalog_is_not_stale(locale):
    mo_path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo"
    assert mo_path.exists(), "run 'make translations-compile'"
    with mo_path.open("rb") as handle:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
    source = {_key(m.id): _key(m.string) for m in entries(catalog(locale))}
    assert compiled == source


def test_latvian_plurals_have_three_forms():
    cat = catalog("lv")
    assert cat.num_plurals == 3
    for message in entries(cat):
        if message.pluralizable:
            assert len(message.string) == 3 and all(message.string)
