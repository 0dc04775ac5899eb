"""`make bench`: generate N ideas, serve the app with gunicorn, load it, write bench/results.md.

python -m bench.run [--sizes 10000,100000] [--million] [--duration 10] [--rate 50]
See bench/README.md for what is measured and why.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import requests

from bench import measure
from bench.generate import PASSWORD, generate, plain_url
from bench.load import percentile
from bench.report import write_report

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgresql+psycopg://kopa:kopa@127.0.0.1:5432/kopa_bench"
FULL_BBOX = "26.80,56.75,27.95,57.40"  # all of Balvu novads
FULL_ZOOM = 9
STREET_ZOOM = 17
# Distinct street views of the "many places" request: far more than one load run can repeat
# often, so most of its answers are computed (cache misses), not shared.
STREET_PLACES = 3000
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def machine(database_url: str) -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    with psycopg.connect(plain_url(database_url)) as conn:
        postgres = conn.execute("SELECT version()").fetchone()[0].split(",")[0]
        postgis = (
            conn.execute("SELECT postgis_lib_version()").fetchone()[0]
            if _has_postgis(conn)
            else "?"
        )
    import psutil

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "kernel": os.uname().release,
        "python": sys.version.split()[0],
        "postgres": postgres,
        "postgis": postgis,
    }


def _has_postgis(conn) -> bool:
    return bool(
        conn.execute("SELECT 1 FROM pg_proc WHERE proname = 'postgis_lib_version'").fetchone()
    )


def bench_app(database_url: str):
    from app import create_app

    return create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=database_url,
        RATELIMIT_ENABLED=False,
        MAIL_BACKEND="log",
        WTF_CSRF_ENABLED=False,
        # SQL capture, EXPLAIN and the uncached timings must see the real queries.
        IDEAS_GEOJSON_CACHE_SECONDS=0,
        SURVEY_RESULTS_CACHE_SECONDS=0,
    )


class Server:
    """gunicorn with the production settings file, on a loopback port."""

    def __init__(self, database_url: str, port: int, workers: int, threads: int, log: Path):
        self.url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "KOPA_ENV": "production",
            "SECRET_KEY": "bench-secret-key-not-for-production",
            "DATABASE_URL": database_url,
            "SERVER_BASE_URL": self.url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_BACKEND": "log",
        }
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "bench.wsgi:app",
        ]
        self.log = log.open("w")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=self.log
        )

    def wait(self) -> None:
        for _ in range(150):
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not start; see " + self.log.name)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


FAILED = {"requests": 0, "errors": 1, "rps": 0.0, "p50": None, "p95": None, "p99": None}


def load(spec: dict, workdir: Path) -> dict:
    """Run bench.load in its own process (so its CPU is not the server's) and read its JSON."""
    path = workdir / "spec.json"
    path.write_text(json.dumps(spec))
    try:
        output = subprocess.run(
            [sys.executable, "-m", "bench.load", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=spec["duration"] + 180,
            check=True,
        )
    except (subprocess.SubprocessError, OSError) as error:
        print(f"   load failed: {error}", flush=True)
        return {**FAILED, "failure": str(error)[:200]}
    return json.loads(output.stdout)


def signed_in_visitors(base: str, count: int) -> list[tuple[str, str]]:
    """(cookie, CSRF token) of `count` generated residents, signed in through the real form."""
    visitors = []
    for number in range(1, count + 1):
        session = requests.Session()
        form = session.get(f"{base}/lv/account/sign-in", timeout=10).text
        response = session.post(
            f"{base}/lv/account/sign-in",
            data={
                "csrf_token": CSRF.search(form).group(1),
                "email": f"bench{number}@example.invalid",
                "password": PASSWORD,
            },
            allow_redirects=False,
            timeout=30,
        )
        if response.status_code != 302:
            raise RuntimeError(f"sign-in of bench{number} answered {response.status_code}")
        # The idea form puts its CSRF token in the session: keep the cookie that comes with it.
        page = session.get(f"{base}/lv/ideas/new", timeout=10)
        if page.status_code != 200:
            raise RuntimeError(f"the idea form answered {page.status_code}")
        token = CSRF.search(page.text).group(1)
        visitors.append(("; ".join(f"{c.name}={c.value}" for c in session.cookies), token))
    return visitors


def submission_body(app) -> str:
    """An idea form as a resident sends it (step=confirm skips the similar-ideas step)."""
    from app.categories.models import Category
    from app.extensions import db

    with app.app_context():
        category = db.session.query(Category.id).filter_by(slug="roads").scalar()
    return urlencode(
        {
            "csrf_token": "{csrf}",
            "title": "Jauns soliņš {n}",
            "description": "Pie bibliotēkas nav kur apsēsties, vajadzētu vismaz divus soliņus.",
            "category": category,
            "lat": "57.1313",
            "lon": "27.2658",
            "step": "confirm",
            "submission_token": "bench-{n}",
        },
        safe="{}",
    )


def db_floor(database_url: str, statements: list, concurrency: int, duration: float) -> dict:
    """The GeoJSON query's own SQL, replayed with psycopg from `concurrency` threads."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def worker():
        with psycopg.connect(plain_url(database_url), autocommit=True) as conn:
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                for statement, parameters in statements:
                    conn.execute(statement, parameters).fetchall()
                with lock:
                    latencies.append((time.perf_counter() - began) * 1000)

    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    return {
        "requests": len(latencies),
        "errors": 0,
        "rps": len(latencies) / duration,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
    }


def _street_bbox(lon: float, lat: float) -> str:
    """A street-level view (about 500 × 280 m) centred on a point."""
    return f"{lon - 0.004:.5f},{lat - 0.0025:.5f},{lon + 0.004:.5f},{lat + 0.0025:.5f}"


def forget_cached_answers(app) -> None:
    """The generator wrote through psycopg, which bumps no version: make every map answer
    cached by an earlier size obsolete before the server starts."""
    from app.ideas.map_cache import bump_version

    with app.app_context():
        bump_version(force=True)


def scenarios(app, generated) -> tuple[dict, list[str]]:
    """Name -> request spec, for the features that exist; and the names of missing ones."""
    from sqlalchemy import text

    from app.extensions import db

    views = app.view_functions
    with app.app_context():
        ids = [
            row[0]
            for row in db.session.execute(
                text(
                    "SELECT id FROM ideas WHERE hidden_at IS NULL AND withdrawn_at IS NULL "
                    "AND NOT awaiting_approval ORDER BY random() LIMIT 200"
                )
            )
        ]
        balvi = db.session.execute(
            text("SELECT ST_X(centre), ST_Y(centre) FROM territories WHERE name = 'Balvi'")
        ).one()
        # Where residents look: around random public ideas (so the towns, mostly).
        places = db.session.execute(
            text(
                "SELECT ST_X(geom), ST_Y(geom) FROM ideas WHERE hidden_at IS NULL "
                "AND withdrawn_at IS NULL AND NOT awaiting_approval ORDER BY random() LIMIT :n"
            ),
            {"n": STREET_PLACES},
        ).all()
    lon, lat = balvi
    street_bbox = _street_bbox(lon, lat)
    wanted = {
        "ideas GeoJSON, whole municipality": (
            "api.ideas",
            [f"/api/v1/ideas.geojson?bbox={FULL_BBOX}&zoom={FULL_ZOOM}&lang=lv"],
        ),
        "ideas GeoJSON, street zoom": (
            "api.ideas",
            [f"/api/v1/ideas.geojson?bbox={street_bbox}&zoom={STREET_ZOOM}&lang=lv"],
        ),
        "ideas GeoJSON, street zoom, many places": (
            "api.ideas",
            [
                f"/api/v1/ideas.geojson?bbox={_street_bbox(x, y)}&zoom={STREET_ZOOM}&lang=lv"
                for x, y in places
            ],
        ),
        "map page": ("ideas.index", ["/lv/ideas"]),
        "idea list": ("ideas.list", ["/lv/ideas/list"]),
        "idea page": ("ideas.show", [f"/lv/ideas/{i}" for i in ids]),
        "survey results": (
            "surveys.results",
            [f"/lv/surveys/{generated.survey_id}/results"] if generated.survey_id else [],
        ),
    }
    found, missing = {}, []
    for name, (endpoint, paths) in wanted.items():
        if endpoint in views and paths:
            found[name] = paths
        else:
            missing.append(f"{name} ({endpoint})")
    return found, missing


def uncached_times(client, path: str, repeat: int = 5) -> list[float]:
    """Milliseconds of `repeat` requests one after another, in process, caches off."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(path, headers={"Accept-Language": "lv"}).get_data()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def run_size(total: int, args, workdir: Path) -> dict:
    print(f"== {total:,} ideas: generating …", flush=True)
    app = bench_app(args.database_url)
    generated = generate(app, args.database_url, total)
    print(f"   generated in {generated.seconds['total']:.0f} s", flush=True)
    forget_cached_answers(app)
    found, missing = scenarios(app, generated)
    if "ideas.create" not in app.view_functions:
        missing.append("idea submission (ideas.create)")

    result = {"n": total, "generated": generated, "missing": missing, "rows": [], "rate": []}
    # Other work on the machine shows here: the numbers are only as quiet as the machine.
    result["load_before"] = os.getloadavg()
    result["sizes"] = {}
    client = app.test_client()
    for name, paths in found.items():
        body = client.get(paths[0], headers={"Accept-Language": "lv"}).get_data()
        result["sizes"][name] = measure.body_sizes(body)
        if "GeoJSON" in name:
            result["sizes"][name].update(measure.features_of(body))

    # The survey page as its first visitor after an answer sees it: counted, not cached.
    if "survey results" in found:
        result["survey_uncached_ms"] = uncached_times(client, found["survey results"][0])

    result["explain"] = {}
    for name, paths in found.items():
        try:
            statements = measure.sql_of_request(app, paths[0])
            result["explain"][name] = measure.explain(plain_url(args.database_url), statements)
        except Exception as error:
            result["explain"][name] = [{"error": f"{type(error).__name__}: {error}"}]
    geojson_sql = {}
    for name in ("ideas GeoJSON, whole municipality", "ideas GeoJSON, street zoom"):
        if name in found:
            geojson_sql[name] = [
                (s, p)
                for s, p in measure.sql_of_request(app, found[name][0])
                if s.lstrip().upper().startswith(("SELECT", "WITH"))
            ]

    server = Server(
        args.database_url, args.port, args.workers, args.threads, workdir / "gunicorn.log"
    )
    try:
        server.wait()
        time.sleep(2)  # every worker booted and settled: the idle RSS is read on entering
        base = server.url
        closed = {"base": base, "mode": "closed", "concurrency": args.concurrency}
        closed["duration"] = args.duration
        with measure.WorkerMemory(server.process.pid) as memory:
            floor = load({**closed, "paths": ["/bench/ping"]}, workdir)
            result["rows"].append(("framework floor: /bench/ping", floor, None))
            print(f"   floor {floor['rps']:.0f} req/s", flush=True)
            for name, statements in geojson_sql.items():
                sql = db_floor(args.database_url, statements, args.concurrency, args.duration)
                result["rows"].append((f"database floor: SQL of {name}", sql, None))
            for name, paths in found.items():
                measured = load({**closed, "paths": paths}, workdir)
                floor_name = None
                same_sql = name.removesuffix(", many places")  # the same statement, elsewhere
                if same_sql in geojson_sql:
                    floor_name = f"database floor: SQL of {same_sql}"
                result["rows"].append((name, measured, floor_name))
                print(f"   {name}: {measured['rps']:.0f} req/s", flush=True)
            if "ideas.create" in app.view_functions:
                try:
                    visitors = signed_in_visitors(base, args.concurrency)
                    body = submission_body(app)
                    measured = _submissions(base, visitors, body, args, workdir)
                    result["rows"].append(("idea submission (POST)", measured, None))
                except Exception as error:
                    result["missing"].append(f"idea submission failed: {error}")
            for name, paths in found.items():
                spec = {
                    "base": base,
                    "mode": "rate",
                    "rate": args.rate,
                    "concurrency": 16,
                    "duration": args.duration,
                    "paths": paths,
                }
                result["rate"].append((name, load(spec, workdir)))
        result["memory"] = memory.summary()
        result["load_after"] = os.getloadavg()
    finally:
        server.stop()
    return result


def _submissions(base: str, visitors: list[tuple[str, str]], body: str, args, workdir) -> dict:
    """Each visitor posts with its own session and CSRF token, from its own load process."""

    def one(index: int) -> dict:
        cookie, token = visitors[index]
        spec = {
            "base": base,
            "mode": "closed",
            "concurrency": 1,
            "duration": args.duration,
            "paths": ["/lv/ideas/new"],
            "method": "POST",
            "body": body.replace("{csrf}", token),
            "cookies": [cookie],
            "ok": [302, 303],
        }
        sub = workdir / f"submit-{index}"
        sub.mkdir(exist_ok=True)
        return load(spec, sub)

    with ThreadPoolExecutor(len(visitors)) as pool:
        results = list(pool.map(one, range(len(visitors))))
    requests_total = sum(r["requests"] for r in results)
    return {
        "requests": requests_total,
        "errors": sum(r["errors"] for r in results),
        "rps": sum(r["rps"] for r in results),
        # Per-process percentiles, combined conservatively: the worst of the workers.
        "p50": max((r["p50"] or 0) for r in results),
        "p95": max((r["p95"] or 0) for r in results),
        "p99": max((r["p99"] or 0) for r in results),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--million", action="store_true", help="also 1,000,000 ideas (slow)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--rate", type=float, default=50.0, help="requests/s of the rate test")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument("--no-photo", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.million and 1_000_000 not in sizes:
        sizes.append(1_000_000)
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="kopa-bench-") as tmp:
        workdir = Path(tmp)
        results = []
        for n in sizes:
            results.append(run_size(n, args, workdir))
            # Written after every size, so a long run keeps what it has measured.
            write_report(
                Path(args.output),
                machine(args.database_url),
                args,
                results,
                None,
                time.time() - started,
            )
        photo = None
        if not args.no_photo:
            try:
                photo = measure.photo_memory(args.database_url, workdir)
            except Exception as error:
                photo = {"error": f"{type(error).__name__}: {error}"}
    write_report(
        Path(args.output), machine(args.database_url), args, results, photo, time.time() - started
    )
    print(f"Wrote {args.output}", flush=True)


if __name__ == "__main__":
    main()
