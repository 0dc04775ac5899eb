"""Refresh the catalogs and fill translations, safely when several people run it at once.

    python scripts/translate.py                 extract + update + fill English + compile
    python scripts/translate.py --lv FILE.json  …and add Latvian translations from FILE
                                                ({"msgid": "msgstr"} or, for plurals,
                                                {"msgid": ["one", "few", "many"]} in Latvian's
                                                order: 0 = zero/…, see the .po header)
    python scripts/translate.py --missing       list Latvian entries still empty or fuzzy

English is the source language, so the English catalog copies every msgid.
"""

import argparse
import fcntl
import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
PYBABEL = str(ROOT / ".venv" / "bin" / "pybabel")


def run(*args: str) -> None:
    subprocess.run([PYBABEL, *args], cwd=ROOT, check=True, capture_output=True)  # noqa: S603


def load(locale: str):
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return path, read_po(handle, locale=locale)


def save(path: Path, catalog) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, omit_header=False, no_location=True)


def refresh() -> None:
    run(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "--add-comments=Translators:",
        "--no-location",
        "--sort-output",
        "--ignore-dirs",
        ".* node_modules __pycache__",
        "-o",
        "translations/messages.pot",
        ".",
    )
    for locale in ("lv", "en"):
        if not (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").exists():
            run("init", "-i", "translations/messages.pot", "-d", "translations", "-l", locale)
    run(
        "update",
        "-i",
        "translations/messages.pot",
        "-d",
        "translations",
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )


def fill_english() -> None:
    path, catalog = load("en")
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            message.string = tuple(message.id)
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    save(path, catalog)


def add_latvian(source: Path) -> list[str]:
    translations = json.loads(source.read_text(encoding="utf-8"))
    path, catalog = load("lv")
    unknown = []
    for msgid, msgstr in translations.items():
        message = catalog.get(msgid)
        if message is None:
            # Plural entries are keyed by their singular form.
            message = next((m for m in catalog if m.pluralizable and m.id[0] == msgid), None)
        if message is None:
            unknown.append(msgid)
            continue
        if message.pluralizable:
            forms = msgstr if isinstance(msgstr, list) else [msgstr] * 3
            message.string = tuple(forms)
        else:
            message.string = msgstr
        message.flags.discard("fuzzy")
    save(path, catalog)
    return unknown


def missing() -> list[str]:
    _path, catalog = load("lv")
    result = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if "fuzzy" in message.flags or not all(strings):
            result.append(message.id if isinstance(message.id, str) else message.id[0])
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lv", type=Path, help="JSON file of Latvian translations")
    parser.add_argument("--missing", action="store_true")
    options = parser.parse_args()
    with (TRANSLATIONS / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if options.missing:
            for msgid in missing():
                print(json.dumps(msgid, ensure_ascii=False))
            return 0
        refresh()
        fill_english()
        if options.lv:
            for msgid in add_latvian(options.lv):
                print(f"not in the catalog (check the spelling): {msgid!r}", file=sys.stderr)
        run("compile", "-d", "translations")
        left = missing()
        print(f"Latvian entries still missing: {len(left)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
