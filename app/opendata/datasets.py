"""What the open data page offers: datasets, their formats, sizes, licences and fields."""

import importlib.util

from flask import url_for
from flask_babel import format_decimal

from app.i18n import _, _l
from app.opendata import queries as opendata
from app.territories.queries import territories_geojson

BOUNDARIES_LICENCE = {
    "name": "ODbL 1.0",
    "url": "https://opendatacommons.org/licenses/odbl/1-0/",
    "attribution": "© OpenStreetMap contributors (ODbL 1.0); unit centres © GeoNames (CC BY 4.0)",
}

# Bytes a row adds besides its free texts (measured on the generated files, rounded up).
CSV_ROW_OVERHEAD = 260
GEOJSON_ROW_OVERHEAD = 560
SURVEY_ROW_BYTES = 140


def ideas_licence(municipality: str) -> dict:
    return {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
        "attribution": f"© {municipality}, Kopā",
    }


IDEA_FIELDS = [
    ("id", _l("Number of the idea; its page is /lv/ideas/<id>.")),
    ("title", _l("Title, as written by the resident.")),
    ("description", _l("Description, as written by the resident.")),
    ("category", _l("Category code (for example roads, environment-climate).")),
    ("category_lv / category_en", _l("Category name in Latvian and in English.")),
    (
        "status",
        _l(
            "Status: submitted, under_review, adopted, in_progress, done, not_possible "
            "or duplicate."
        ),
    ),
    ("territory_id / territory", _l("Territorial unit (parish or town) the place lies in.")),
    ("lon / lat", _l("Place in WGS 84 degrees (EPSG:4326); in GeoJSON, the geometry.")),
    (
        "location_approximate",
        _l(
            "true when the resident described the place in words and the point is the "
            "unit's centre."
        ),
    ),
    ("place_description", _l("The resident's words about the place, if any.")),
    ("channel", _l("How the idea came in: online, workshop, paper or open311.")),
    ("support_count / comment_count", _l("Number of supporters and of comments.")),
    ("duplicate_of", _l("For a duplicate, the number of the original idea.")),
    ("created_at / status_changed_at", _l("Times in UTC (ISO 8601).")),
    ("answer_lv / answer_en", _l("The latest official answer of the municipality.")),
]

SURVEY_FIELDS = [
    ("survey_id / survey / survey_en", _l("Number and title of the survey.")),
    ("question_id / question / question_en", _l("Number and text of the question.")),
    ("kind", _l("Question type: single, multiple, scale, ranking or number.")),
    ("option / option_en", _l("The answer option, the value of a scale, or mean.")),
    ("count", _l("How many responses chose it (for a ranking: how many ranked it).")),
    (
        "mean",
        _l("The average of a scale or a number, or the average place in a ranking (1 = first)."),
    ),
    ("responses", _l("How many responses the survey has in total.")),
]


def human_size(size: int) -> str:
    if size < 1024:
        return _("%(size)s bytes", size=format_decimal(size))
    if size < 1024 * 1024:
        return _("%(size)s KB", size=format_decimal(round(size / 1024, 1)))
    return _("%(size)s MB", size=format_decimal(round(size / 1024 / 1024, 1)))


def surveys_available() -> bool:
    """Survey results are offered when the surveys feature is installed."""
    return importlib.util.find_spec("app.surveys") is not None


def catalogue(lang: str) -> list[dict]:
    """The datasets with their download links, formats and (estimated) sizes."""
    ideas = opendata.ideas_summary()
    territories_bytes = len(territories_geojson(lang=lang).encode())
    datasets = [
        {
            "key": "ideas",
            "title": _("Ideas"),
            "description": _(
                "Every public idea of residents, with its place, category, status, number of "
                "supporters and the municipality's latest answer. Hidden, withdrawn and "
                "unapproved ideas and all personal data (names, e-mail addresses) are left out."
            ),
            "records": ideas["count"],
            "licence": ideas_licence(""),
            "licence_holder": _("the municipality"),
            "files": [
                {
                    "format": "GeoJSON",
                    "url": url_for("opendata.ideas_geojson"),
                    "size": human_size(ideas["text_bytes"] + ideas["count"] * GEOJSON_ROW_OVERHEAD),
                    "estimated": True,
                },
                {
                    "format": "CSV",
                    "url": url_for("opendata.ideas_csv"),
                    "size": human_size(ideas["text_bytes"] + ideas["count"] * CSV_ROW_OVERHEAD),
                    "estimated": True,
                },
            ],
        },
        {
            "key": "territories",
            "title": _("Territorial units"),
            "description": _(
                "The borders of the towns and parishes of the municipality, with their names "
                "in Latvian and English and their ATVK codes."
            ),
            "records": None,
            "licence": BOUNDARIES_LICENCE,
            "licence_holder": _("OpenStreetMap contributors"),
            "files": [
                {
                    "format": "GeoJSON",
                    "url": url_for("opendata.territories"),
                    "size": human_size(territories_bytes),
                    "estimated": False,
                }
            ],
        },
    ]
    if surveys_available():
        from app.opendata.surveys import estimated_rows, public_surveys

        datasets.append(
            {
                "key": "survey_results",
                "title": _("Survey results"),
                "description": _(
                    "The results of surveys whose results are public: for every question, how "
                    "many responses chose each answer (and averages of scales). Only totals: "
                    "no single response, no text answers and no places marked on the map."
                ),
                "records": len(public_surveys()),
                "licence": ideas_licence(""),
                "licence_holder": _("the municipality"),
                "files": [
                    {
                        "format": "CSV",
                        "url": url_for("opendata.survey_results_csv"),
                        "size": human_size(SURVEY_ROW_BYTES * (1 + estimated_rows())),
                        "estimated": True,
                    }
                ],
            }
        )
    return datasets
