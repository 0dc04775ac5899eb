"""Fill the benchmark database with N ideas (and supports, comments, answers, N survey responses).

Everything is generated inside PostgreSQL with INSERT … SELECT over generate_series and
ST_GeneratePoints: no row travels through Python, which is faster than COPY from a client.
Ideas are spread over the territorial units by area, with the towns far denser than the
parishes, as ideas cluster where people live.
"""

import time
from dataclasses import dataclass, field

import psycopg
import sqlalchemy.exc
from sqlalchemy.engine import make_url

PASSWORD = "bench-password-123"
CHUNK = 100_000

TITLES = [
    "Apgaismojums gājēju ietvei",
    "Bedres ceļa posmā",
    "Soliņi pie ezera",
    "Velosipēdu novietne pie skolas",
    "Atkritumu urnas parkā",
    "Rotaļu laukuma atjaunošana",
    "Gājēju pāreja pie veikala",
    "Autobusa pieturas nojume",
    "Koku stādīšana ielas malā",
    "Lietus ūdens novadīšana",
    "Sniega tīrīšana ietvēm",
    "Sporta laukums jauniešiem",
    "Informācijas stends pagastā",
    "Ātruma ierobežojums ciemā",
    "Tūrisma taka gar upi",
]
DESCRIPTIONS = [
    "Vakaros šeit ir pilnīgi tumšs, un bērni iet uz skolu pa brauktuvi.",
    "Pēc katra lietus paliek lielas peļķes, un garām nevar paiet sausām kājām.",
    "Vecāka gadagājuma cilvēkiem nav kur atpūsties pa ceļam uz veikalu.",
    "Pavasarī šeit sapulcējas daudz ģimeņu, bet nav nekādu ērtību.",
    "Ziemā pēc snigšanas ietve netiek notīrīta vairākas dienas.",
    "Automašīnas brauc pārāk ātri, it īpaši vakaros un brīvdienās.",
]
COMMENTS = [
    "Pilnībā atbalstu, tas ir ļoti vajadzīgs.",
    "Es arī katru dienu šeit eju, piekrītu.",
    "Varbūt to var apvienot ar ceļa remontu?",
    "Paldies par ideju!",
]
# Share of ideas per status (duplicates are made afterwards from some of the submitted).
STATUS_SHARES = [
    ("submitted", 0.38),
    ("under_review", 0.20),
    ("adopted", 0.12),
    ("in_progress", 0.08),
    ("done", 0.10),
    ("not_possible", 0.12),
]


@dataclass
class Generated:
    ideas: int = 0
    public_ideas: int = 0
    supports: int = 0
    comments: int = 0
    users: int = 0
    survey_id: int | None = None
    survey_responses: int = 0
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def plain_url(sqlalchemy_url: str) -> str:
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(False)


def recreate_database(sqlalchemy_url: str) -> None:
    url = make_url(sqlalchemy_url)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{url.database}"')
    with psycopg.connect(plain_url(sqlalchemy_url), autocommit=True) as conn:
        for extension in ("postgis", "pg_trgm", "unaccent", "citext"):
            conn.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")


def prepare_schema(app) -> None:
    """Migrations, the 21 units and the categories, as `make run` does."""
    from flask_migrate import upgrade

    from app.categories.services import ensure_default_categories
    from app.extensions import db
    from app.territories.services import import_territories, read_boundary_file

    with app.app_context():
        upgrade(revision="heads")
        units = read_boundary_file(app.root_path + "/data/balvi_units.geojson")
        import_territories(units, "Balvu novads")
        ensure_default_categories()
        db.session.commit()


def _timed(result: Generated, name: str, conn, sql: str, params: dict | None = None) -> None:
    """Run the statements of `sql` (separated by ";" at a line end); % is written %%."""
    started = time.perf_counter()
    for statement in sql.split(";\n"):
        if statement.strip():
            conn.execute(statement, params or {})
    result.seconds[name] = result.seconds.get(name, 0.0) + time.perf_counter() - started


def _users(conn, result: Generated, count: int) -> None:
    from app.accounts.services import hash_password

    _timed(
        result,
        "users",
        conn,
        """
        INSERT INTO users (email, password_hash, display_name, locale, role,
                           email_confirmed_at, session_token, created_at)
        SELECT 'bench' || n || '@example.invalid', %(hash)s, 'Iedzīvotājs ' || n, 'lv',
               'resident', now(), md5(n::text || random()::text), now() - interval '800 days'
        FROM generate_series(1, %(count)s) AS n
        """,
        {"hash": hash_password(PASSWORD), "count": count},
    )
    result.users = count


def _territory_counts(conn, total: int) -> list[tuple[int, int]]:
    """Ideas per unit: proportional to area, towns 40 times denser than parishes."""
    rows = conn.execute(
        """
        SELECT id, ST_Area(geom::geography) * CASE WHEN kind = 'town' THEN 40 ELSE 1 END
        FROM territories ORDER BY id
        """
    ).fetchall()
    weight = sum(w for _, w in rows)
    counts = [(tid, int(total * w / weight)) for tid, w in rows]
    counts[0] = (counts[0][0], counts[0][1] + total - sum(c for _, c in counts))
    return counts


def _ideas(conn, result: Generated, total: int, users: int) -> None:
    statuses = []
    for name, share in STATUS_SHARES:
        statuses += [name] * round(share * 100)
    for territory_id, count in _territory_counts(conn, total):
        done = 0
        while done < count:
            batch = min(CHUNK, count - done)
            _timed(
                result,
                "ideas",
                conn,
                """
                INSERT INTO ideas (title, description, category_id, geom, territory_id,
                    location_approximate,
                    author_id, author_anonymous, channel, status, support_count, comment_count,
                    created_at, updated_at, status_changed_at, first_answered_at, hidden_at,
                    withdrawn_at, awaiting_approval)
                SELECT
                    (%(titles)s::text[])[1 + (n %% cardinality(%(titles)s::text[]))]
                        || ' (' || n || ')',
                    (%(descriptions)s::text[])[1 + (n %% cardinality(%(descriptions)s::text[]))],
                    (SELECT array_agg(id ORDER BY id) FROM categories)[1 + (n %% 10)],
                    p.geom, %(territory)s, false,
                    1 + (n * 7919 %% %(users)s), random() < 0.2,
                    (CASE WHEN random() < 0.9 THEN 'online' WHEN random() < 0.5 THEN 'paper'
                          ELSE 'workshop' END)::idea_channel,
                    s.status::idea_status, 0, 0,
                    c.created, c.created + interval '3 days',
                    CASE WHEN s.status <> 'submitted' THEN c.created + interval '10 days' END,
                    CASE WHEN s.status <> 'submitted' THEN c.created + interval '10 days' END,
                    CASE WHEN n %% 100 = 7 THEN now() END,
                    CASE WHEN n %% 200 = 11 THEN now() END,
                    n %% 200 = 13
                FROM (
                    SELECT row_number() OVER () + %(offset)s AS n, d.geom
                    FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, %(batch)s, %(seed)s))).geom
                          FROM territories WHERE id = %(territory)s) AS d
                ) AS p
                CROSS JOIN LATERAL (
                    SELECT (%(statuses)s::text[])[1 + floor(random() * 100)::int] AS status
                    WHERE p.n IS NOT NULL
                ) AS s
                CROSS JOIN LATERAL (
                    SELECT now() - (random() * interval '730 days') - interval '20 days' AS created
                    WHERE p.n IS NOT NULL
                ) AS c
                """,
                {
                    "titles": TITLES,
                    "descriptions": DESCRIPTIONS,
                    "users": users,
                    "statuses": statuses,
                    "offset": done + territory_id * 10_000_000,
                    "batch": batch,
                    "seed": territory_id * 1000 + done // CHUNK + 1,
                    "territory": territory_id,
                },
            )
            done += batch
    # Some submitted ideas turn out to repeat an earlier one.
    _timed(
        result,
        "ideas",
        conn,
        """
        UPDATE ideas SET status = 'duplicate', duplicate_of_id = id - 1,
            status_changed_at = created_at + interval '10 days',
            first_answered_at = created_at + interval '10 days'
        WHERE id %% 20 = 0 AND status = 'submitted' AND id > (SELECT min(id) FROM ideas)
        """,
    )
    # Every idea has its history: the submission, and the answer when there is one.
    _timed(
        result,
        "history",
        conn,
        """
        INSERT INTO idea_status_changes (idea_id, from_status, to_status, answer, created_at)
        SELECT id, NULL::idea_status, 'submitted'::idea_status, NULL, created_at FROM ideas
        UNION ALL
        SELECT id, 'submitted'::idea_status, status,
               'Paldies! Pašvaldība priekšlikumu ir izskatījusi un pieņēmusi lēmumu.',
               status_changed_at
        FROM ideas WHERE status <> 'submitted'
        """,
    )
    result.ideas = total


# Tables the bulk load fills: their secondary indexes are built once after the load (far
# faster than growing them row by row, and without the bloat of the counter UPDATE).
BULK_TABLES = ("ideas", "idea_status_changes", "supports", "comments")


def _drop_secondary_indexes(conn, tables: tuple[str, ...]) -> list[str]:
    """Drop the indexes of `tables` that back no constraint; return their definitions."""
    rows = conn.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%(tables)s::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        {"tables": list(tables)},
    ).fetchall()
    for name, _definition in rows:
        conn.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in rows]


def _build_indexes(conn, result: Generated, definitions: list[str]) -> None:
    conn.execute("SET maintenance_work_mem = '256MB'")
    conn.execute("SET max_parallel_maintenance_workers = 1")
    for definition in definitions:
        _timed(result, "indexes", conn, definition)
    conn.execute("RESET maintenance_work_mem")
    conn.execute("RESET max_parallel_maintenance_workers")


def _supports_and_comments(conn, result: Generated, users: int) -> None:
    # The app's counter triggers update one idea per inserted row; for a bulk load the
    # counters are computed once at the end instead (same values, minutes faster).
    conn.execute("ALTER TABLE supports DISABLE TRIGGER USER")
    conn.execute("ALTER TABLE comments DISABLE TRIGGER USER")
    try:
        _bulk_supports_and_comments(conn, result, users)
    finally:
        conn.execute("ALTER TABLE supports ENABLE TRIGGER USER")
        conn.execute("ALTER TABLE comments ENABLE TRIGGER USER")


def _bulk_supports_and_comments(conn, result: Generated, users: int) -> None:
    _timed(
        result,
        "supports",
        conn,
        """
        INSERT INTO supports (user_id, idea_id, created_at)
        SELECT 1 + ((i.id::bigint * 7919 + g * 104729) %% %(users)s), i.id,
               i.created_at + interval '1 day'
        FROM ideas i
        CROSS JOIN LATERAL generate_series(1, (i.id * 0 + floor(-ln(1 - random()) * 2))::int) AS g
        ON CONFLICT DO NOTHING
        """,
        {"users": users},
    )
    _timed(
        result,
        "comments",
        conn,
        """
        INSERT INTO comments (idea_id, author_id, body, created_at)
        SELECT i.id, 1 + ((i.id::bigint * 31 + g * 7) %% %(users)s),
               (%(comments)s::text[])[1 + ((i.id + g) %% cardinality(%(comments)s::text[]))],
               i.created_at + g * interval '2 days'
        FROM ideas i CROSS JOIN LATERAL generate_series(1, 1 + (i.id %% 3)) AS g
        WHERE i.id %% 10 < 3
        """,
        {"users": users, "comments": COMMENTS},
    )
    _timed(
        result,
        "counters",
        conn,
        """
        UPDATE ideas i SET support_count = coalesce(s.n, 0), comment_count = coalesce(c.n, 0)
        FROM (SELECT idea_id, count(*) AS n FROM supports GROUP BY idea_id) s
        FULL JOIN (SELECT idea_id, count(*) AS n FROM comments GROUP BY idea_id) c
            ON c.idea_id = s.idea_id
        WHERE i.id = coalesce(s.idea_id, c.idea_id)
        """,
    )
    result.supports = conn.execute("SELECT count(*) FROM supports").fetchone()[0]
    result.comments = conn.execute("SELECT count(*) FROM comments").fetchone()[0]


SURVEY_WORDS = ["Skaisti", "Tīri", "Par maz soliņu", "Labi", "Trūkst apgaismojuma", "Mierīgi"]
SURVEY_SUGGESTIONS = [
    "Vajadzētu laipu līdz ūdenim un vairāk atkritumu urnu gar taku.",
    "Vakaros krastā ir tumšs; apgaismojums palīdzētu gan pastaigām, gan drošībai.",
    "Lūdzu, saglabājiet kokus un pļavu, tā ir krasta lielākā vērtība.",
]


def _survey_questions(survey, section) -> dict:
    """One question of every kind, as a real survey of the municipality might ask."""
    from app.surveys import models as surveys

    def question(position, kind, prompt, labels=(), **fields):
        made = surveys.Question(
            survey_id=survey.id, section=section, position=position, kind=kind, prompt=prompt,
            **fields,
        )  # fmt: skip
        for number, label in enumerate(labels):
            made.options.append(surveys.QuestionOption(position=number, label=label))
        return made

    kind = surveys.QuestionKind
    return {
        "choice": question(
            0, kind.SINGLE, "Kas krastā vajadzīgs visvairāk?",
            ["Soliņi", "Apgaismojums", "Laipa", "Tualete"], required=True,
        ),
        "multiple": question(
            1, kind.MULTIPLE, "Ko jūs krastā darāt?",
            ["Pastaigājos", "Peldos", "Makšķerēju", "Sportoju", "Atpūšos ar bērniem"],
        ),
        "scale": question(2, kind.SCALE, "Cik apmierināts esat ar krastu tagad?"),
        "number": question(
            3, kind.NUMBER, "Cik minūtes ejat līdz krastam?", min_value=0, max_value=120
        ),
        "short": question(4, kind.SHORT_TEXT, "Krasts vienā vārdā"),
        "long": question(5, kind.LONG_TEXT, "Jūsu ieteikumi"),
        "place": question(6, kind.MAP_POINT, "Kur jūs visbiežāk atpūšaties?"),
        "ranking": question(
            7, kind.RANKING, "Sakārtojiet pēc svarīguma",
            ["Tīrība", "Drošība", "Pieejamība", "Daba"],
        ),
    }  # fmt: skip


def _survey(app, conn, result: Generated, responses: int) -> None:
    """A public survey with one question of every kind (the costliest results page), and N
    responses that answer most questions."""
    try:
        from app.surveys import models as surveys
    except ImportError as error:
        result.notes.append(f"survey responses skipped: app.surveys not importable ({error})")
        return
    from datetime import UTC, datetime, timedelta

    from app.extensions import db

    with app.app_context():
        now = datetime.now(UTC)
        survey = surveys.Survey(
            title="Ko darīt ar Balvu ezera krastu?",
            title_en="What should be done with the Balvi lake shore?",
            state=surveys.SurveyState.OPEN,
            access=surveys.SurveyAccess.ANONYMOUS,
            results_public=True,
            opens_at=now - timedelta(days=30),
            closes_at=now + timedelta(days=30),
            published_at=now - timedelta(days=30),
        )
        section = surveys.SurveySection(survey=survey, title="Jautājumi", position=0)
        db.session.add_all([survey, section])
        db.session.flush()
        questions = _survey_questions(survey, section)
        db.session.add_all(questions.values())
        db.session.commit()
        ids = {name: q.id for name, q in questions.items()}
        ids["survey"] = survey.id
        for name in ("choice", "multiple", "ranking"):
            ids[f"{name}_options"] = [o.id for o in questions[name].options]
    _timed(
        result,
        "survey",
        conn,
        """
        INSERT INTO survey_responses (survey_id, channel, territory_id, submitted_at)
        SELECT %(survey)s, 'online',
               (SELECT array_agg(id) FROM territories)[1 + (n %% 21)],
               now() - random() * interval '30 days'
        FROM generate_series(1, %(n)s) AS n;
        INSERT INTO survey_answers (response_id, question_id, value)
        SELECT r.id, %(choice)s, to_jsonb((%(choice_options)s::int[])[1 + (r.id %% 4)])
        FROM survey_responses r WHERE r.survey_id = %(survey)s;
        INSERT INTO survey_answers (response_id, question_id, value)
        SELECT r.id, %(multiple)s, (
            SELECT jsonb_agg(o ORDER BY k) FROM unnest(%(multiple_options)s::int[])
                WITH ORDINALITY AS u(o, k)
            WHERE (1 + (r.id * 13 %% 31)) >> (k::int - 1) & 1 = 1)
        FROM survey_responses r WHERE r.survey_id = %(survey)s AND r.id %% 5 <> 1;
        INSERT INTO survey_answers (response_id, question_id, value)
        SELECT r.id, %(scale)s, to_jsonb(1 + (r.id * 7 %% 5))
        FROM survey_responses r WHERE r.survey_id = %(survey)s AND r.id %% 5 <> 0;
        INSERT INTO survey_answers (response_id, question_id, value)
        SELECT r.id, %(number)s,
               CASE WHEN r.id %% 4 = 0 THEN to_jsonb((r.id * 37 %% 1201) / 10.0)
                    ELSE to_jsonb(r.id * 37 %% 121) END
        FROM survey_responses r WHERE r.survey_id = %(survey)s AND r.id %% 7 <> 0;
        INSERT INTO survey_answers (response_id, question_id, value)
        SELECT r.id, %(short)s, to_jsonb((%(words)s::text[])[1 + (r.id %% 6)])
        FROM survey_responses r WHERE r.survey_id = %(survey)s AND r.id %% 5 < 3;
        INSERT INTO survey_answers (response_id, question_id, value)
        SELECT r.id, %(long)s, to_jsonb((%(suggestions)s::text[])[1 + (r.id %% 3)])
        FROM survey_responses r WHERE r.survey_id = %(survey)s AND r.id %% 10 < 3;
        INSERT INTO survey_answers (response_id, question_id, value)
        SELECT r.id, %(ranking)s, (
            SELECT jsonb_agg(o ORDER BY md5(o::text || r.id::text))
            FROM unnest(%(ranking_options)s::int[]) AS o)
        FROM survey_responses r WHERE r.survey_id = %(survey)s AND r.id %% 10 < 7;
        INSERT INTO survey_answers (response_id, question_id, value, geom)
        SELECT r.id, %(place)s,
               jsonb_build_object('lat', round(ST_Y(p.geom)::numeric, 6),
                                  'lon', round(ST_X(p.geom)::numeric, 6)),
               p.geom
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS k
              FROM survey_responses WHERE survey_id = %(survey)s AND id %% 3 = 0) r
        JOIN (SELECT row_number() OVER () AS k, geom FROM (
                SELECT (ST_Dump(ST_GeneratePoints(
                    (SELECT geom FROM territories WHERE name = 'Balvi'),
                    GREATEST(%(n)s / 3, 1), 7))).geom) d) p ON p.k = r.k;
        """,
        {**ids, "n": responses, "words": SURVEY_WORDS, "suggestions": SURVEY_SUGGESTIONS},
    )
    result.survey_id = ids["survey"]
    result.survey_responses = responses


def generate(
    app, sqlalchemy_url: str, total: int, survey_responses: int | None = None
) -> Generated:
    """A fresh database with `total` ideas, made again if the database restarts under it."""
    for attempt in range(3):
        try:
            return _generate(app, sqlalchemy_url, total, survey_responses)
        except (psycopg.OperationalError, sqlalchemy.exc.OperationalError) as error:
            if attempt == 2:
                raise
            print(f"   database went away ({error}); generating again", flush=True)
            time.sleep(15)
            with app.app_context():
                from app.extensions import db

                db.engine.dispose()
    raise AssertionError("unreachable")


def _generate(app, sqlalchemy_url: str, total: int, survey_responses: int | None) -> Generated:
    result = Generated()
    started = time.perf_counter()
    recreate_database(sqlalchemy_url)
    prepare_schema(app)
    result.seconds["schema"] = time.perf_counter() - started
    users = max(2_000, total // 20)
    with psycopg.connect(plain_url(sqlalchemy_url), autocommit=True) as conn:
        conn.execute("SELECT setseed(0.42)")
        _users(conn, result, users)
        indexes = _drop_secondary_indexes(conn, BULK_TABLES)
        # Each idea is generated inside its unit: the per-row ST_Covers trigger is not needed.
        conn.execute("ALTER TABLE ideas DISABLE TRIGGER ideas_assign_territory")
        try:
            _ideas(conn, result, total, users)
        finally:
            conn.execute("ALTER TABLE ideas ENABLE TRIGGER ideas_assign_territory")
        _supports_and_comments(conn, result, users)
        _build_indexes(conn, result, indexes)
    try:
        with psycopg.connect(plain_url(sqlalchemy_url), autocommit=True) as conn:
            _survey(app, conn, result, survey_responses or total)
    except Exception as error:  # the surveys feature is still moving: report, don't stop
        result.notes.append(f"survey responses skipped: {type(error).__name__}: {error}")
    with psycopg.connect(plain_url(sqlalchemy_url), autocommit=True) as conn:
        _timed(result, "vacuum analyze", conn, "VACUUM (ANALYZE)")
        result.public_ideas = conn.execute(
            "SELECT count(*) FROM ideas WHERE hidden_at IS NULL AND withdrawn_at IS NULL "
            "AND NOT awaiting_approval"
        ).fetchone()[0]
    result.seconds["total"] = time.perf_counter() - started
    return result
