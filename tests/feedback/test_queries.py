"""The feedback figures against hand-made ideas whose answers are known in advance.

Seven published ideas received in 2025, answered after 1, 3, 8, 12, 31 and 45 days, one never:
  answered 6; within 30 days 4 of the 7 whose 30 days are over -> 4/7;
  median of 1, 3, 8, 12, 31, 45 days = (8 + 12) / 2 = 10.
One more, received five days ago and not answered: received, but not yet late.
A hidden and a withdrawn idea, both answered in a day and done, count nowhere.
"""

import json
from datetime import UTC, datetime, timedelta

import pytest
from flask import current_app
from sqlalchemy import func

from app.accounts.models import Role
from app.feedback import queries
from app.feedback.queries import FeedbackFilters
from app.ideas.models import IdeaStatus
from app.maps.feedback import count_class, legend
from app.staff.services import change_status
from tests.factories import create_user, territory
from tests.staff.helpers import make_idea

BALVI, VIKSNA = "Balvi", "Vīksnas pagasts"
# (title, unit, category, created, days to first answer, status)
IDEAS = [
    ("Apgaismojums parkā", BALVI, "roads", "2025-02-01T09:00:00+00:00", 1, "under_review"),
    ("Gājēju pāreja pie skolas", BALVI, "roads", "2025-03-10T09:00:00+00:00", 3, "adopted"),
    ("Ietve uz staciju", BALVI, "roads", "2025-04-05T12:00:00+00:00", 8, "in_progress"),
    ("Soliņi pie ezera", BALVI, "public-space", "2025-05-20T08:00:00+00:00", 12, "done"),
    ("Peldvieta Vīksnā", VIKSNA, "public-space", "2025-06-01T10:00:00+00:00", 31, "not_possible"),
    ("Autobusa pietura", VIKSNA, "mobility", "2025-07-15T10:00:00+00:00", 45, "done"),
    ("Ceļa zīme pie baznīcas", VIKSNA, "mobility", "2025-09-01T10:00:00+00:00", None, "submitted"),
]


@pytest.fixture
def hand_made(balvu):
    author = create_user()
    made = {}
    for title, unit, category, created, days, status in IDEAS:
        created_at = datetime.fromisoformat(created)
        made[title] = make_idea(
            author,
            title=title,
            unit=unit,
            category=category,
            created_at=created_at,
            first_answered_at=created_at + timedelta(days=days) if days is not None else None,
            status=IdeaStatus(status),
        )
    recent = datetime.now(UTC) - timedelta(days=5)
    made["recent"] = make_idea(author, title="Jauns priekšlikums", unit=VIKSNA, created_at=recent)
    for title, extra in (
        ("Paslēpts priekšlikums", {"hidden_at": func.now()}),
        ("Atsaukts priekšlikums", {"withdrawn_at": func.now()}),
    ):
        made[title] = make_idea(
            author,
            title=title,
            created_at=datetime(2025, 2, 1, tzinfo=UTC),
            first_answered_at=datetime(2025, 2, 2, tzinfo=UTC),
            status=IdeaStatus.DONE,
            **extra,
        )
    return made


def test_totals_share_and_median(db, hand_made):
    figures = queries.feedback_figures(FeedbackFilters())
    assert figures == {
        "received": 8,
        "answered": 6,
        "adopted": 4,
        "done": 2,
        "answered_in_30": 4,
        "share_answered_in_30": pytest.approx(4 / 7),
        "median_days": pytest.approx(10.0),
    }


def test_filters_by_year_territory_and_category(db, hand_made):
    year_2025 = queries.feedback_figures(FeedbackFilters(year=2025))
    assert (year_2025["received"], year_2025["share_answered_in_30"]) == (7, pytest.approx(4 / 7))
    this_year = queries.feedback_figures(FeedbackFilters(year=datetime.now(UTC).year))
    assert this_year["received"] == 1
    assert this_year["share_answered_in_30"] is None  # nothing is late yet
    assert this_year["median_days"] is None

    viksna = queries.feedback_figures(FeedbackFilters(territory_id=territory(VIKSNA).id))
    # Answers after 31 and 45 days: median 38, none within 30 days of the 3 that are due.
    assert viksna["received"] == 4
    assert viksna["median_days"] == pytest.approx(38.0)
    assert viksna["share_answered_in_30"] == 0
    roads = hand_made["Apgaismojums parkā"].category_id
    by_roads = queries.feedback_figures(FeedbackFilters(category_id=roads))
    assert by_roads["median_days"] == pytest.approx(3.0)
    assert by_roads["adopted"] == 2
    assert queries.year_range()[-1] == 2025


def test_breakdowns_per_unit_and_category(db, hand_made):
    units = {row["name"]: row for row in queries.figures_by_territory(FeedbackFilters())}
    assert len(units) == 21
    counts = {
        name: (r["received"], r["answered"], r["adopted"], r["done"]) for name, r in units.items()
    }
    assert counts[BALVI] == (4, 4, 3, 1)
    assert counts[VIKSNA] == (4, 2, 1, 1)
    assert counts["Viļaka"] == (0, 0, 0, 0)
    categories = {row["name"]: row for row in queries.figures_by_category(FeedbackFilters())}
    assert categories["Ceļi un ielas"]["received"] == 4  # three above and the recent one
    assert categories["Transports un mobilitāte"]["received"] == 2
    assert categories["Transports un mobilitāte"]["done"] == 1
    assert categories["Drošība"]["received"] == 0


def test_choropleth_counts_and_classes(db, hand_made):
    data = json.loads(queries.choropleth_geojson(FeedbackFilters(), "en"))
    by_id = {f["id"]: f["properties"] for f in data["features"]}
    assert len(by_id) == 21
    assert by_id[territory(BALVI).id]["ideas"] == 4
    assert by_id[territory(BALVI).id]["label"] == "Balvi town: 4"
    assert sum(p["ideas"] for p in by_id.values()) == 8
    assert [count_class(n, 8) for n in (0, 1, 2, 3, 4, 8)] == [0, 1, 1, 2, 2, 4]
    assert legend(8) == [(0, 0, 0), (1, 1, 2), (2, 3, 4), (3, 5, 6), (4, 7, 8)]
    assert legend(2) == [(0, 0, 0), (2, 1, 1), (4, 2, 2)]


def test_feedback_ideas_list_only_adopted_published_ones(db, hand_made):
    staff = create_user(Role.STAFF)
    idea = hand_made["Gājēju pāreja pie skolas"]
    with current_app.test_request_context("/"):
        change_status(idea, "in_progress", "Būvdarbi sākti", "Works started", None, staff)
        db.session.commit()
    page = queries.feedback_ideas(FeedbackFilters(), 1)
    titles = [row["title"] for row in page.items]
    assert titles[0] == "Gājēju pāreja pie skolas"  # latest change first
    assert sorted(titles) == sorted(
        ["Gājēju pāreja pie skolas", "Ietve uz staciju", "Soliņi pie ezera", "Autobusa pietura"]
    )
    assert page.items[0]["answer"] == "Būvdarbi sākti"
    assert page.items[0]["answer_en"] == "Works started"
    assert page.total == 4
    small = queries.feedback_ideas(FeedbackFilters(), 2, per_page=3)
    assert (small.total, len(small.items), small.pages) == (4, 1, 2)
