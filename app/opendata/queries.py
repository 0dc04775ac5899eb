"""Reads for open data: public ideas streamed straight out of PostgreSQL, never all in memory.

The CSV goes through `COPY … TO STDOUT` (PostgreSQL writes the CSV, quoting included); the
GeoJSON goes through a server-side cursor, one feature per row, built by PostGIS.
"""

from collections.abc import Iterator
from contextlib import closing

from sqlalchemy import text

from app.extensions import db

EXPORT_TIMEOUT = "300s"

# Public ideas only: the same rule as app.ideas.models.public_ideas_clause, written in SQL.
PUBLIC_IDEAS = "i.hidden_at IS NULL AND i.withdrawn_at IS NULL AND NOT i.awaiting_approval"

# The latest public answer of the municipality (the index on (idea_id, created_at) serves it).
LATEST_ANSWER = """
    LEFT JOIN LATERAL (
        SELECT sc.answer, sc.answer_en, sc.created_at
        FROM idea_status_changes sc
        WHERE sc.idea_id = i.id AND sc.answer IS NOT NULL
        ORDER BY sc.created_at DESC
        LIMIT 1
    ) a ON true
"""

IDEA_FROM = f"""
    FROM ideas i
    JOIN categories c ON c.id = i.category_id
    LEFT JOIN territories t ON t.id = i.territory_id
    {LATEST_ANSWER}
    WHERE {PUBLIC_IDEAS}
"""

# Column name -> SQL expression, in the order of the CSV. No author, no e-mail, no internal note.
IDEA_COLUMNS: list[tuple[str, str, bool]] = [
    # (name, expression, is free text that must be neutralised for spreadsheets)
    ("id", "i.id", False),
    ("title", "i.title", True),
    ("description", "i.description", True),
    ("category", "c.slug", False),
    ("category_lv", "c.name", True),
    ("category_en", "c.name_en", True),
    ("status", "i.status::text", False),
    ("territory_id", "i.territory_id", False),
    ("territory", "t.name", True),
    ("lon", "round(ST_X(i.geom)::numeric, 6)", False),
    ("lat", "round(ST_Y(i.geom)::numeric, 6)", False),
    ("location_approximate", "i.location_approximate", False),
    ("place_description", "i.place_description", True),
    ("channel", "i.channel::text", False),
    ("support_count", "i.support_count", False),
    ("comment_count", "i.comment_count", False),
    ("duplicate_of", "i.duplicate_of_id", False),
    (
        "created_at",
        "to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
        False,
    ),
    (
        "status_changed_at",
        "to_char(i.status_changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
        False,
    ),
    ("answer_lv", "a.answer", True),
    ("answer_en", "a.answer_en", True),
]


def neutralised(expression: str) -> str:
    """A text cell that a spreadsheet will not run as a formula (=, +, -, @, tab, CR first)."""
    return (
        f"CASE WHEN left({expression}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
        f"THEN '''' || {expression} ELSE {expression} END"
    )


def ideas_csv_sql() -> str:
    columns = ", ".join(
        f'{neutralised(expr) if is_text else expr} AS "{name}"'
        for name, expr, is_text in IDEA_COLUMNS
    )
    return f"COPY (SELECT {columns} {IDEA_FROM} ORDER BY i.id) TO STDOUT WITH (FORMAT csv, HEADER)"


def ideas_geojson_feature_sql() -> str:
    """One GeoJSON Feature (text) per public idea, in id order."""
    properties = ", ".join(
        f"'{name}', {expr}" for name, expr, _ in IDEA_COLUMNS if name not in ("id", "lon", "lat")
    )
    return f"""
        SELECT json_build_object(
            'type', 'Feature',
            'id', i.id,
            'geometry', ST_AsGeoJSON(i.geom, 6)::json,
            'properties', json_build_object({properties})
        )::text
        {IDEA_FROM}
        ORDER BY i.id
    """


def _allow_long_export(connection) -> None:
    """A full export is one long statement: lift the 15 s page timeout for this transaction."""
    with closing(connection.cursor()) as cursor:
        cursor.execute(f"SET LOCAL statement_timeout = '{EXPORT_TIMEOUT}'")


def stream_ideas_csv(chunk_bytes: int = 64 * 1024) -> Iterator[bytes]:
    """CSV bytes of every public idea, as PostgreSQL's COPY produces them."""
    connection = db.engine.raw_connection()
    try:
        _allow_long_export(connection)
        with closing(connection.cursor()) as cursor, cursor.copy(ideas_csv_sql()) as copy:
            buffer = bytearray()
            for data in copy:
                buffer += data
                if len(buffer) >= chunk_bytes:
                    yield bytes(buffer)
                    buffer.clear()
            if buffer:
                yield bytes(buffer)
        connection.rollback()
    finally:
        connection.close()  # back to the pool, also when the client hangs up


def stream_ideas_features(batch: int = 2000) -> Iterator[str]:
    """GeoJSON Feature strings of every public idea, fetched `batch` rows at a time."""
    connection = db.engine.raw_connection()
    try:
        _allow_long_export(connection)
        # A named cursor lives on the server: rows come in batches, not all at once.
        with closing(connection.driver_connection.cursor(name="opendata_ideas")) as cursor:
            cursor.itersize = batch
            cursor.execute(ideas_geojson_feature_sql())
            for (feature,) in cursor:
                yield feature
        connection.rollback()
    finally:
        connection.close()


def ideas_summary() -> dict:
    """How many public ideas there are and roughly how many bytes their texts take."""
    row = db.session.execute(
        text(
            f"""
            SELECT count(*) AS count,
                   coalesce(sum(octet_length(i.title) + octet_length(i.description)
                                + coalesce(octet_length(i.place_description), 0)), 0) AS text_bytes,
                   max(i.updated_at) AS updated_at
            FROM ideas i WHERE {PUBLIC_IDEAS}
            """  # noqa: S608 - constant SQL, no user input
        )
    ).one()
    return {"count": row.count, "text_bytes": int(row.text_bytes), "updated_at": row.updated_at}
