"""A whole survey's answers counted in a few statements, and the figures derived from the counts.

The statements read the typed copies of the answers (`choice`, `choices`, `number`,
`territory_id`, filled by a database trigger) from the index on the question, never the JSON
values. Their results are plain numbers keyed by ids, with no label or language in them, so
they can be cached (app.surveys.figures) and turned into any page's figures afterwards.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import text

from app.extensions import db
from app.surveys.models import Question, QuestionKind

MAP_GRID_DEGREES = 0.005  # about 300 m × 550 m around Balvi
MAP_CELL_LIMIT = 2000
CELL_KINDS = {QuestionKind.SINGLE, QuestionKind.SCALE, QuestionKind.MULTIPLE}


@dataclass
class Tally:
    """Answers to one question in one breakdown group (grp) with one option or value (key).

    n counts rows with that key (for multiple choice and ranking: answers choosing it); answers
    counts answers (each once); positions sums the places given in a ranking; total, smallest
    and largest describe the numbers of number and scale answers."""

    grp: int | None
    key: int | None
    n: int
    answers: int
    positions: int | None = None
    total: Decimal | None = None
    smallest: Decimal | None = None
    largest: Decimal | None = None


def _group_sql(by) -> tuple[str, str, dict]:
    if by is None:
        return "", "NULL::integer", {}
    if by == "territory":
        return "", "a.territory_id", {}
    return (
        "LEFT JOIN survey_answers g ON g.response_id = a.response_id AND g.question_id = :g",
        "g.choice",
        {"g": by.id},
    )


def answer_tallies(question_ids: list[int], by=None) -> dict[int, list[Tally]]:
    """Question id -> its tallies per group and key, for all the questions in one statement.
    `by` is None (no groups), "territory" or a single-choice question."""
    tallies: dict[int, list[Tally]] = {qid: [] for qid in question_ids}
    if not question_ids:
        return tallies
    join, group, params = _group_sql(by)
    # Headroom for the hash aggregate of a very big survey (100,000 responses need under 1 MB)
    # and the median's sort; SET LOCAL ends with the request's (read-only) transaction.
    db.session.execute(text("SET LOCAL work_mem = '32MB'"))
    rows = db.session.execute(
        text(
            f"""
            SELECT a.question_id, {group} AS grp, coalesce(e.key, a.choice) AS key,
                   count(*) AS n,
                   count(*) FILTER (WHERE e.position IS NULL OR e.position = 1) AS answers,
                   sum(e.position)::bigint AS positions, sum(a.number) AS total,
                   min(a.number) AS smallest, max(a.number) AS largest
            FROM survey_answers a {join}
            LEFT JOIN LATERAL unnest(a.choices) WITH ORDINALITY AS e(key, position) ON true
            WHERE a.question_id = ANY(:questions)
            GROUP BY 1, 2, 3
            """  # noqa: S608 - only our own SQL fragments are formatted in
        ),
        {**params, "questions": list(question_ids)},
    )
    for row in rows:
        tallies[row.question_id].append(Tally(*row[1:]))
    return tallies


def number_medians(question_ids: list[int]) -> dict[int, float]:
    """Question id -> the median of its number answers."""
    if not question_ids:
        return {}
    rows = db.session.execute(
        text(
            "SELECT question_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY number) AS median "
            "FROM survey_answers WHERE question_id = ANY(:questions) GROUP BY 1"
        ),
        {"questions": list(question_ids)},
    )
    return {row.question_id: row.median for row in rows}


def response_tallies(survey_id: int) -> tuple[dict, list[tuple]]:
    """Responses per territorial unit (None: not given), and (Riga day, channel, count) rows
    by day, from one hash aggregate over the survey's responses (a few hundred groups)."""
    rows = db.session.execute(
        text(
            """
            SELECT territory_id, date(timezone('Europe/Riga', submitted_at)) AS day,
                   channel::text, count(*)
            FROM survey_responses WHERE survey_id = :s
            GROUP BY 1, 2, 3
            """
        ),
        {"s": survey_id},
    )
    by_unit: dict = {}
    by_day: dict = {}
    for territory_id, day, channel, count in rows:
        by_unit[territory_id] = by_unit.get(territory_id, 0) + count
        by_day[day, channel] = by_day.get((day, channel), 0) + count
    return by_unit, [(day, channel, n) for (day, channel), n in sorted(by_day.items())]


def map_cells(question_id: int) -> list[tuple[float, float, int]]:
    """Map answers on a grid: (lat, lon, count) of each cell's centre, the fullest first.
    Rounding x / size is what ST_SnapToGrid does; the mean of the points is their centroid."""
    rows = db.session.execute(
        text(
            """
            SELECT avg(ST_Y(geom)) AS lat, avg(ST_X(geom)) AS lon, count(*) AS n
            FROM survey_answers
            WHERE question_id = :q AND geom IS NOT NULL
            GROUP BY round(ST_X(geom) / :grid), round(ST_Y(geom) / :grid)
            ORDER BY count(*) DESC
            LIMIT :limit
            """
        ),
        {"q": question_id, "grid": MAP_GRID_DEGREES, "limit": MAP_CELL_LIMIT},
    )
    return [(row.lat, row.lon, row.n) for row in rows]


# --- figures from tallies -----------------------------------------------------------------


def answered(tallies: list[Tally]) -> int:
    return sum(t.answers for t in tallies)


def option_counts(tallies: list[Tally]) -> dict[int, int]:
    """Option id (or scale value) -> number of answers that chose it."""
    counts: dict[int, int] = {}
    for t in tallies:
        if t.key is not None:
            counts[t.key] = counts.get(t.key, 0) + t.n
    return counts


def mean(tallies: list[Tally]) -> Decimal | None:
    """The mean of number or scale answers."""
    values = [t for t in tallies if t.total is not None]
    count = sum(t.answers for t in values)
    return sum(t.total for t in values) / count if count else None


def number_stats(tallies: list[Tally], median: float | None) -> dict:
    values = [t for t in tallies if t.total is not None]
    return {
        "n": sum(t.answers for t in values),
        "min": min((t.smallest for t in values), default=None),
        "max": max((t.largest for t in values), default=None),
        "mean": mean(values),
        "median": median,
        "total": sum(t.total for t in values) if values else None,
    }


def ranking_positions(tallies: list[Tally]) -> dict[int, dict]:
    """Option id -> average position (1 = first) and how many ranked it."""
    sums: dict[int, list[int]] = {}
    for t in tallies:
        if t.key is not None and t.positions is not None:
            entry = sums.setdefault(t.key, [0, 0])
            entry[0] += t.positions
            entry[1] += t.n
    return {key: {"mean": total / n, "n": n} for key, (total, n) in sums.items()}


@dataclass
class Breakdown:
    groups: list[dict]  # key, label, total (respondents in the group who answered)
    cells: dict = field(default_factory=dict)  # (group key, option key) -> count
    means: dict = field(default_factory=dict)  # group key -> mean (numbers, scales)


def breakdown(question: Question, tallies: list[Tally], group_labels: dict) -> Breakdown:
    """The answers to `question` per group, from its tallies with a breakdown."""
    per_group: dict = {}
    for t in tallies:
        per_group.setdefault(t.grp, []).append(t)
    result = Breakdown(groups=[])
    for grp, rows in per_group.items():
        result.groups.append({"key": grp, "label": group_labels.get(grp), "total": answered(rows)})
        group_mean = mean(rows)
        if group_mean is not None:
            result.means[grp] = float(group_mean)
    order = list(group_labels)
    result.groups.sort(
        key=lambda g: (g["key"] is None, order.index(g["key"]) if g["key"] in order else 0)
    )
    if question.kind in CELL_KINDS:
        result.cells = {(t.grp, t.key): t.n for t in tallies if t.key is not None}
    return result
