"""Time the survey results page on a database holding only one big survey.

    python -m bench.survey_results generate --responses 100000
    python -m bench.survey_results time [--repeat 5] [--explain]

The survey is the one of `bench.generate` (a question of every kind). The results page is
requested in-process through the Flask test client, as its owner (staff) with a breakdown by
territorial unit and by the single-choice question, and as an anonymous visitor (public view).
`--cache` leaves the Redis cache of results on, so repeated requests measure cache hits.
"""

import argparse
import os
import statistics
import time

DEFAULT_DB = "postgresql+psycopg://kopa:kopa@127.0.0.1:5432/kopa_bench_h1"


def bench_app(database_url: str, cache_seconds: int):
    from app import create_app

    return create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=database_url,
        RATELIMIT_ENABLED=False,
        MAIL_BACKEND="log",
        WTF_CSRF_ENABLED=False,
        SURVEY_RESULTS_CACHE_SECONDS=cache_seconds,
    )


def generate(database_url: str, responses: int) -> None:
    import psycopg

    from bench.generate import (
        Generated,
        _survey,
        _timed,
        plain_url,
        prepare_schema,
        recreate_database,
    )

    app = bench_app(database_url, 0)
    result = Generated()
    recreate_database(database_url)
    prepare_schema(app)
    with psycopg.connect(plain_url(database_url), autocommit=True) as conn:
        conn.execute("SELECT setseed(0.42)")
        _survey(app, conn, result, responses)
        _timed(result, "vacuum analyze", conn, "VACUUM (ANALYZE)")
    with app.app_context():
        _staff_user()
    print(f"survey {result.survey_id}: {responses} responses; seconds {result.seconds}")


def _staff_user():
    from sqlalchemy import select

    from app.accounts.models import Role, User
    from app.accounts.services import create_user
    from app.extensions import db

    user = db.session.scalar(select(User).where(User.role == Role.STAFF))
    if user is None:
        user = create_user(
            "staff@example.invalid", "bench-password-123", "Bench", role=Role.STAFF, confirmed=True
        )
        db.session.commit()
    return user


def _paths(app) -> dict[str, tuple[str, bool]]:
    from sqlalchemy import select

    from app.extensions import db
    from app.surveys.models import Question, QuestionKind, Survey

    with app.app_context():
        survey = db.session.scalar(select(Survey).order_by(Survey.id.desc()))
        single = db.session.scalar(
            select(Question.id).where(
                Question.survey_id == survey.id, Question.kind == QuestionKind.SINGLE
            )
        )
    base = f"/lv/surveys/{survey.id}/results"
    return {
        "owner, by territory": (base, True),
        "owner, by single choice": (f"{base}?by={single}", True),
        "owner, no breakdown": (f"{base}?by=none", True),
        "public, by territory": (base, False),
    }


def time_pages(database_url: str, repeat: int, cache_seconds: int, explain: bool) -> None:
    app = bench_app(database_url, cache_seconds)
    with app.app_context():
        staff = _staff_user()
        staff_id = staff.get_id()
    for name, (path, as_owner) in _paths(app).items():
        client = app.test_client()
        if as_owner:
            with client.session_transaction() as session:
                session["_user_id"] = staff_id
                session["_fresh"] = True
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        print(
            f"{name:28} median {statistics.median(timings):7.1f} ms  "
            f"min {min(timings):7.1f}  first {timings[0]:7.1f}  ({len(response.data)} bytes)"
        )
        if explain:
            _explain(app, database_url, client, path)


def _explain(app, database_url: str, client, path: str) -> None:
    from bench.generate import plain_url
    from bench.measure import captured_sql, explain

    with captured_sql(app) as statements:
        client.get(path)
    statements = [(s, p) for s, p in statements if not s.lstrip().upper().startswith("SELECT 1")]
    for row in sorted(explain(plain_url(database_url), statements), key=lambda r: -r["ms"]):
        print(f"    {row['ms']:8.2f} ms  {row['sql'][:120]}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["generate", "time"])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cache", action="store_true", help="keep the Redis cache of results on")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    if args.action == "generate":
        generate(args.database_url, args.responses)
    else:
        time_pages(args.database_url, args.repeat, 60 if args.cache else 0, args.explain)


if __name__ == "__main__":
    main()
