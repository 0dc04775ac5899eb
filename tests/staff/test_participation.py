"""The participation dashboard: figures per unit, category and month against hand counts."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from app.accounts.models import Role
from app.categories.models import Category
from app.ideas.models import Comment, IdeaChannel, Support
from app.staff import participation
from app.surveys.models import ResponseChannel, SurveyResponse
from tests.factories import create_user, sign_in, territory
from tests.staff.helpers import make_idea
from tests.surveys.helpers import make_survey

RIGA = ZoneInfo("Europe/Riga")
BALVI, TILZA = "Balvi", "Tilžas pagasts"


def _ago(days: int, hours: int = 1) -> datetime:
    return datetime.now(UTC) - timedelta(days=days, hours=hours)


def _support(db, user, idea, when):
    db.session.add(Support(user_id=user.id, idea_id=idea.id, created_at=when))
    db.session.commit()


def _comment(db, user, idea, when, **fields):
    db.session.add(
        Comment(idea_id=idea.id, author_id=user.id, body="Labs", created_at=when, **fields)
    )
    db.session.commit()


def _response(db, survey, unit, channel, when, respondent=None, entered_by=None):
    db.session.add(
        SurveyResponse(
            survey_id=survey.id,
            channel=channel,
            respondent_id=respondent.id if respondent else None,
            entered_by_id=entered_by.id if entered_by else None,
            territory_id=territory(unit).id,
            submitted_at=when,
        )
    )
    db.session.commit()


@pytest.fixture
def world(balvu):
    db = balvu
    staff = create_user(Role.STAFF, display_name="Ilze Kalniņa")
    leader = create_user(Role.LEADER, territories=[territory(BALVI)])
    author, s1, s2, s3 = (create_user() for _ in range(4))
    ideas = {
        # Balvi: online 10 days ago, workshop 29 days ago, Open311 31 days ago (roads, roads,
        # culture-sport), and a hidden one that never counts.
        "a": make_idea(author, unit=BALVI, created_at=_ago(10)),
        "b": make_idea(
            None,
            unit=BALVI,
            category="culture-sport",
            created_at=_ago(29),
            channel=IdeaChannel.WORKSHOP,
            entered_by_id=leader.id,
        ),
        "c": make_idea(None, unit=BALVI, created_at=_ago(31), channel=IdeaChannel.OPEN311),
        "hidden": make_idea(s2, unit=BALVI, created_at=_ago(5), hidden_at=_ago(4)),
        # Tilža: online 100 days and 400 days ago.
        "e": make_idea(s2, unit=TILZA, category="mobility", created_at=_ago(100)),
        "f": make_idea(s2, unit=TILZA, created_at=_ago(400)),
    }
    _support(db, s1, ideas["a"], _ago(9))
    _support(db, author, ideas["c"], _ago(5))  # the author of "a" again: one person
    _support(db, s3, ideas["hidden"], _ago(3))  # on a hidden idea: never counts
    _comment(db, s1, ideas["a"], _ago(3))
    _comment(db, staff, ideas["a"], _ago(2), is_official=True)  # the municipality's own
    survey = make_survey(leader, [territory(BALVI), territory(TILZA)])
    db.session.commit()
    _response(db, survey, BALVI, ResponseChannel.WORKSHOP, _ago(2), entered_by=leader)
    _response(db, survey, TILZA, ResponseChannel.ONLINE, _ago(5), respondent=s3)
    _response(db, survey, TILZA, ResponseChannel.PAPER, _ago(40), entered_by=leader)
    return {"db": db, "staff": staff, "ideas": ideas, "people": (author, s1, s2, s3)}


def _units(period, category_id=None):
    filters = participation.ParticipationFilters(period=period, category_id=category_id)
    return {row["name"]: row for row in participation.participation_by_unit(filters)}


FIGURES = (
    "ideas_online",
    "ideas_recorded",
    "ideas_open311",
    "supports",
    "comments",
    "responses_online",
    "responses_paper",
    "responses_workshop",
    "people",
)


def _figures(row):
    return tuple(row[name] for name in FIGURES)


@pytest.mark.parametrize(
    ("period", "balvi", "tilza"),
    [
        # ideas on/rec/311, supports, comments, responses on/paper/workshop, people
        ("30d", (1, 1, 0, 2, 1, 0, 0, 1, 2), (0, 0, 0, 0, 0, 1, 0, 0, 1)),
        ("90d", (1, 1, 1, 2, 1, 0, 0, 1, 2), (0, 0, 0, 0, 0, 1, 1, 0, 1)),
        ("12m", (1, 1, 1, 2, 1, 0, 0, 1, 2), (1, 0, 0, 0, 0, 1, 1, 0, 2)),
        ("all", (1, 1, 1, 2, 1, 0, 0, 1, 2), (2, 0, 0, 0, 0, 1, 1, 0, 2)),
    ],
)
def test_unit_figures_match_hand_counts_in_each_period(world, period, balvi, tilza):
    units = _units(period)
    assert len(units) == 21
    assert _figures(units[BALVI]) == balvi
    assert _figures(units[TILZA]) == tilza
    silent = [row for name, row in units.items() if name not in (BALVI, TILZA)]
    assert all(not row["heard_from"] and row["contributions"] == 0 for row in silent)
    assert all(row["last_activity_at"] is None for row in silent)


def test_units_not_heard_from_come_first_and_last_activity_is_the_latest(world):
    rows = participation.participation_by_unit(participation.ParticipationFilters("30d"))
    assert [row["heard_from"] for row in rows] == [False] * 19 + [True] * 2
    # Tilža (2 contributions) before Balvi (6: 2 ideas, 2 supports, 1 comment, 1 response).
    assert [rows[-2]["name"], rows[-1]["name"]] == [TILZA, BALVI]
    assert rows[-1]["contributions"] == 6
    balvi_last = rows[-1]["last_activity_at"]
    assert abs(balvi_last - _ago(2)) < timedelta(minutes=1)  # the workshop response


def test_category_filter_narrows_ideas_supports_comments_but_not_surveys(world, db):
    roads = db.session.scalar(select(Category.id).where(Category.slug == "roads"))
    units = _units("30d", roads)
    # "b" is culture-sport; supports on "a" and "c" and the comment are on roads ideas.
    assert _figures(units[BALVI]) == (1, 0, 0, 2, 1, 0, 0, 1, 2)
    # Surveys have no category: still counted, but respondents are not counted as people.
    assert _figures(units[TILZA]) == (0, 0, 0, 0, 0, 1, 0, 0, 0)
    categories = participation.participation_by_category(
        participation.ParticipationFilters("30d", roads)
    )
    assert [(row["ideas"], row["supports"], row["comments"]) for row in categories] == [(1, 2, 1)]


def test_category_counts(world):
    rows = participation.participation_by_category(participation.ParticipationFilters("all"))
    counts = {row["name_en"]: (row["ideas"], row["supports"], row["comments"]) for row in rows}
    assert len(rows) == 10
    assert counts["Roads and streets"] == (3, 2, 1)  # a, c, f
    assert counts["Culture and sport"] == (1, 0, 0)
    assert counts["Transport and mobility"] == (1, 0, 0)
    assert counts["Safety"] == (0, 0, 0)


def test_month_series_has_twelve_months_with_riga_months(world):
    months = participation.participation_by_month(participation.ParticipationFilters("30d"))
    assert len(months) == 12
    now = datetime.now(RIGA).date().replace(day=1)
    assert months[-1]["month"] == now
    first = months[0]["month"]
    expected = Counter()
    for idea in world["ideas"].values():
        month = idea.created_at.astimezone(RIGA).date().replace(day=1)
        if idea.hidden_at is None and month >= first:
            expected[month] += 1
    assert {row["month"]: row["ideas"] for row in months if row["ideas"]} == dict(expected)
    assert sum(row["responses"] for row in months) == 3


def test_last_idea_ever_per_unit(world):
    last = participation.last_heard_from(participation.ParticipationFilters("30d"))
    assert last[territory(TILZA).id] == world["ideas"]["e"].created_at
    assert territory("Viļaka").id not in last


def _row(html: str, unit_id: int) -> str:
    match = re.search(rf'<tr id="unit-{unit_id}".*?</tr>', html, re.S)
    assert match, unit_id
    return match.group(0)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_page_renders_figures_and_flags_silent_units(client, world, lang):
    sign_in(client, world["staff"], lang=lang)
    response = client.get(f"/{lang}/staff/participation?period=30d")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}"' in html
    balvi = _row(html, territory(BALVI).id)
    assert 'data-figure="supports">2<' in balvi and 'data-figure="people">2<' in balvi
    assert "data-not-heard" not in balvi
    silent = _row(html, territory("Viļaka").id)
    assert "data-not-heard" in silent
    assert ("nav ziņu" if lang == "lv" else "not heard from") in silent
    assert 'data-silent-count="19"' in html
    assert html.index(f'id="unit-{territory("Viļaka").id}"') < html.index(
        f'id="unit-{territory(BALVI).id}"'
    )
    assert 'class="month-chart"' in html and 'id="month-table"' in html
    assert 'href="#unit-table"' in html and 'href="#participation-map"' in html
    assert "leaflet" in html


def test_page_filters_by_period_and_category_and_ignores_nonsense(client, world, db):
    sign_in(client, world["staff"])
    balvi_id = territory(BALVI).id
    html = client.get("/lv/staff/participation?period=90d").get_data(as_text=True)
    assert 'data-figure="ideas_open311">1<' in _row(html, balvi_id)
    culture = db.session.scalar(select(Category.id).where(Category.slug == "culture-sport"))
    html = client.get(f"/lv/staff/participation?period=30d&category={culture}").get_data(
        as_text=True
    )
    row = _row(html, balvi_id)
    assert 'data-figure="ideas_recorded">1<' in row and 'data-figure="ideas_online">0<' in row
    response = client.get("/lv/staff/participation?period=forever&category=x%27")
    assert response.status_code == 200
    assert '<option selected value="90d">' in response.get_data(as_text=True)


def test_other_roles_are_refused(client, world):
    sign_in(client, create_user(Role.LEADER, territories=[territory(BALVI)]))
    assert client.get("/lv/staff/participation").status_code == 403


def test_hidden_idea_and_its_support_never_count(world, db):
    db.session.execute(
        update(Support).where(Support.idea_id == world["ideas"]["a"].id).values(created_at=_ago(1))
    )
    db.session.commit()
    units = _units("all")
    assert units[BALVI]["supports"] == 2
    assert units[BALVI]["ideas"] == 3


def test_a_snapshot_serves_the_same_figures_and_says_when_they_were_counted(
    make_app, world, monkeypatch
):
    import redis

    cache = redis.Redis.from_url("redis://127.0.0.1:6379/13")
    for key in cache.scan_iter(match="kopa:participation:*"):  # an earlier run's snapshot
        cache.delete(key)
    application = make_app(
        PARTICIPATION_CACHE_SECONDS=300,
        REDIS_URL="redis://127.0.0.1:6379/13",
        WTF_CSRF_ENABLED=False,
    )
    with application.app_context():
        filters = participation.ParticipationFilters(period="30d")
        counted = participation.count_participation(filters)
        first = participation.participation_figures(filters)
        calls = []
        real = participation.count_participation
        monkeypatch.setattr(
            participation,
            "count_participation",
            lambda f: calls.append(f) or real(f),
        )
        second = participation.participation_figures(filters)
    assert calls == []  # the snapshot, not a new count
    for snapshot in (first, second):
        assert snapshot.units == counted.units
        assert snapshot.last_idea_at == counted.last_idea_at
        assert snapshot.by_category == counted.by_category
        assert snapshot.months == counted.months
    assert second.counted_at == first.counted_at

    client = application.test_client()
    sign_in(client, world["staff"], lang="en")
    html = client.get("/en/staff/participation?period=30d").get_data(as_text=True)
    assert "data-counted-at" in html and "counted again at most every 5 minutes" in html
