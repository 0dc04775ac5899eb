"""Everything Kopā holds about one user, found through the table metadata.

Tables are discovered at run time: any table with an owner column (user_id, author_id, …) that
references users.id is included, so features added later are covered without changes here.
"""

import base64
import csv
import enum
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import Column, Table, func, inspect, or_, select
from sqlalchemy.dialects.postgresql import TSVECTOR

from app.extensions import db
from app.i18n import _l

# Columns that say "this row belongs to / was written by this user".
OWNER_COLUMNS = (
    "user_id",
    "author_id",
    "respondent_id",
    "reporter_id",
    "recipient_id",
    "uploaded_by_id",
)
# Credentials and internal tokens are not personal data to hand out (and would help an attacker).
SECRET_MARKERS = ("password", "secret", "token")

TABLE_LABELS = {
    "users": _l("Account"),
    "ideas": _l("Ideas"),
    "comments": _l("Comments"),
    "supports": _l("Supported ideas"),
    "follows": _l("Followed ideas"),
    "idea_photos": _l("Photos"),
    "leader_territories": _l("Territorial units you lead"),
}
KEYWORD_LABELS = (
    ("survey", _l("Survey answers")),
    ("report", _l("Reports of abuse")),
    ("notification", _l("Notifications")),
    ("outbox", _l("Notifications")),
)


def table_label(name: str) -> str:
    if name in TABLE_LABELS:
        return str(TABLE_LABELS[name])
    for keyword, label in KEYWORD_LABELS:
        if keyword in name:
            return str(label)
    return name


def _references_users(column: Column) -> bool:
    return any(fk.column.table.name == "users" for fk in column.foreign_keys)


def personal_tables() -> list[tuple[Table, list[Column]]]:
    """(table, owner columns) for every existing table that holds rows owned by a user."""
    existing = set(inspect(db.session.connection()).get_table_names())
    found = []
    for table in db.metadata.sorted_tables:
        if table.name == "users" or table.name not in existing:
            continue
        owners = [c for c in table.columns if c.name in OWNER_COLUMNS and _references_users(c)]
        if owners:
            found.append((table, owners))
    return found


def detail_tables(
    owned: list[tuple[Table, list[Column]]],
) -> list[tuple[Table, Column, Table, list[Column]]]:
    """Tables that only describe rows of an owned table (survey answers of a response):
    (detail table, its foreign key column, the owned table, the owner columns). Tables that
    refer to any user themselves are left out, so nobody else's rows come along."""
    by_name = {table.name: owners for table, owners in owned}
    existing = set(inspect(db.session.connection()).get_table_names())
    found = []
    for table in db.metadata.sorted_tables:
        if table.name in by_name or table.name not in existing:
            continue
        if any(_references_users(column) for column in table.columns):
            continue
        for column in table.columns:
            for fk in column.foreign_keys:
                parent = fk.column.table
                if parent.name in by_name and fk.column.primary_key:
                    found.append((table, column, parent, by_name[parent.name]))
    return found


def _owned_ids(parent: Table, owners: list[Column], user_id: int):
    [key] = list(parent.primary_key.columns)
    return select(key).where(or_(*(column == user_id for column in owners)))


def _exported_columns(table: Table) -> list:
    columns = []
    for column in table.columns:
        if any(marker in column.name for marker in SECRET_MARKERS):
            continue
        if isinstance(column.type, TSVECTOR) or column.computed is not None:
            continue  # derived search data, not something the user gave us
        if isinstance(column.type, Geometry):
            columns.append(func.ST_AsGeoJSON(column).label(column.name))
        else:
            columns.append(column)
    return columns


def _rows(table: Table, where) -> Iterator[dict[str, Any]]:
    order = list(table.primary_key.columns) or list(table.columns)[:1]
    statement = select(*_exported_columns(table)).where(where).order_by(*order)
    for row in db.session.execute(statement).mappings():
        yield {key: _plain(value) for key, value in row.items()}


def _plain(value: Any) -> Any:
    """A JSON- and CSV-friendly value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def user_data(user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row about the user, by table: the account first, then each owned table."""
    users = db.metadata.tables["users"]
    data = {"users": list(_rows(users, users.c.id == user_id))}
    owned = personal_tables()
    for table, owners in owned:
        rows = list(_rows(table, or_(*(column == user_id for column in owners))))
        if rows:
            data[table.name] = rows
    for table, column, parent, owners in detail_tables(owned):
        if len(parent.primary_key.columns) != 1:
            continue
        rows = list(_rows(table, column.in_(_owned_ids(parent, owners, user_id))))
        if rows:
            data.setdefault(table.name, []).extend(rows)
    return data


def data_summary(user_id: int) -> list[tuple[str, int]]:
    """(label, number of rows) per table that holds something about the user."""
    summary = []
    for table, owners in personal_tables():
        count = db.session.scalar(
            select(func.count()).select_from(table).where(or_(*(c == user_id for c in owners)))
        )
        if count:
            summary.append((table_label(table.name), count))
    return summary


def as_json(data: dict, generated_at: datetime) -> bytes:
    document = {"generated_at": generated_at.isoformat(), "service": "Kopā", "data": data}
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def _safe_cell(value: Any) -> str:
    """Neutralise spreadsheet formulas: a cell never starts with =, +, -, @, tab or CR."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def as_csv_zip(data: dict) -> bytes:
    """A zip with one CSV per table (UTF-8 with BOM, so spreadsheets read Latvian letters)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in data.items():
            text = io.StringIO()
            columns = list(rows[0].keys()) if rows else []
            writer = csv.writer(text)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_safe_cell(row.get(column)) for column in columns])
            archive.writestr(f"{name}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()
