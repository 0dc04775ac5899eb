"""The open data page and its downloads (public, no personal data, with licence and time)."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime

from flask import Response, abort, g, render_template, stream_with_context
from sqlalchemy import select

from app.core.auth import public
from app.opendata import bp, datasets
from app.opendata import queries as opendata
from app.territories.models import Municipality
from app.territories.queries import territories_geojson

CSV_BOM = b"\xef\xbb\xbf"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def municipality_name() -> str:
    from app.extensions import db

    return db.session.scalar(select(Municipality.name).order_by(Municipality.id)) or "Kopā"


def _download_headers(filename: str, licence: dict, produced: datetime) -> dict:
    """Licence and production time travel with every file, also in its HTTP headers."""
    return {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Link": f'<{licence["url"]}>; rel="license"',
        "X-Licence": licence["name"],
        "X-Generated-At": _stamp(produced),
        "Access-Control-Allow-Origin": "*",
        "Cache-Control": "public, max-age=300",
    }


@bp.route("/")
@public
def index():
    return render_template(
        "opendata/index.html",
        datasets=datasets.catalogue(g.lang),
        idea_fields=datasets.IDEA_FIELDS,
        survey_fields=datasets.SURVEY_FIELDS,
        generated_at=_now(),
    )


@bp.route("/ideas.csv")
@public
def ideas_csv():
    produced = _now()
    licence = datasets.ideas_licence(municipality_name())
    stamp = produced.strftime("%Y%m%dT%H%M%SZ")

    def body() -> Iterator[bytes]:
        yield CSV_BOM
        yield from opendata.stream_ideas_csv()

    return Response(
        stream_with_context(body()),
        content_type="text/csv; charset=utf-8; header=present",
        headers=_download_headers(f"kopa-ideas-{stamp}.csv", licence, produced),
    )


def _collection_head(name: str, licence: dict, produced: datetime) -> str:
    """The FeatureCollection up to its features, with the licence and the time as members."""
    head = json.dumps(
        {
            "type": "FeatureCollection",
            "name": name,
            "license": licence["name"],
            "license_url": licence["url"],
            "attribution": licence["attribution"],
            "generated_at": _stamp(produced),
        },
        ensure_ascii=False,
    )
    return head[:-1] + ', "features": ['


@bp.route("/ideas.geojson")
@public
def ideas_geojson():
    produced = _now()
    licence = datasets.ideas_licence(municipality_name())
    stamp = produced.strftime("%Y%m%dT%H%M%SZ")
    head = _collection_head("kopa-ideas", licence, produced)

    def body() -> Iterator[bytes]:
        yield head.encode()
        separator = "\n"
        for feature in opendata.stream_ideas_features():
            yield (separator + feature).encode()
            separator = ",\n"
        yield b"\n]}\n"

    return Response(
        stream_with_context(body()),
        content_type="application/geo+json; charset=utf-8",
        headers=_download_headers(f"kopa-ideas-{stamp}.geojson", licence, produced),
    )


@bp.route("/territories.geojson")
@public
def territories():
    produced = _now()
    licence = datasets.BOUNDARIES_LICENCE
    collection = json.loads(territories_geojson(lang=g.lang))
    document = {
        "type": "FeatureCollection",
        "name": "kopa-territories",
        "license": licence["name"],
        "license_url": licence["url"],
        "attribution": licence["attribution"],
        "generated_at": _stamp(produced),
        "features": collection["features"],
    }
    return Response(
        json.dumps(document, ensure_ascii=False),
        content_type="application/geo+json; charset=utf-8",
        headers=_download_headers("kopa-territories.geojson", licence, produced),
    )


@bp.route("/survey-results.csv")
@public
def survey_results_csv():
    if not datasets.surveys_available():
        abort(404)
    from app.opendata.surveys import survey_results_csv as lines

    produced = _now()
    licence = datasets.ideas_licence(municipality_name())
    stamp = produced.strftime("%Y%m%dT%H%M%SZ")

    def body() -> Iterator[bytes]:
        yield CSV_BOM
        for line in lines():
            yield line.encode()

    return Response(
        stream_with_context(body()),
        content_type="text/csv; charset=utf-8; header=present",
        headers=_download_headers(f"kopa-survey-results-{stamp}.csv", licence, produced),
    )
