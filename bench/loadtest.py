"""`make loadtest`: 50 simulated residents for 60 seconds against gunicorn on loopback.

python -m bench.loadtest [--residents 50] [--duration 60] [--ideas 5000]

A fresh database (`kopa_loadtest`, or LOADTEST_DATABASE_URL) is filled by bench.generate; the
production app is served by gunicorn (bench.wsgi, rate limits off: every resident comes from
127.0.0.1). Each resident browses the map and the GeoJSON API, reads ideas and pages, and
writes: registers, submits ideas, supports them and answers the survey — whatever the app
offers at run time (read from its url_map). At the end every acknowledged write is looked up
in the database. The run fails (exit 1) on any 5xx or any acknowledged write that is missing or
stored twice. The report is printed and written to bench/loadtest-results.md.
"""

import argparse
import os
import random
import re
import socket
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import psycopg
import requests

from bench.generate import PASSWORD, generate, plain_url
from bench.load import percentile
from bench.run import Server, bench_app

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgresql+psycopg://kopa:kopa@127.0.0.1:5432/kopa_loadtest"
BBOX = (26.80, 56.75, 27.95, 57.40)  # Balvu novads
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TOKEN = re.compile(r'name="submission_token"[^>]*value="([^"]+)"')
REGISTERED = "Pārbaudiet savu e-pastu"  # the "check your e-mail" page
IDEA_PAGE = re.compile(r"/lv/ideas/(\d+)$")


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    by_action: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)  # (action, status) -> count
    latencies: list = field(default_factory=list)
    acknowledged: dict = field(default_factory=lambda: defaultdict(set))
    failures: list = field(default_factory=list)
    timeouts: Counter = field(default_factory=Counter)

    def record(self, action: str, response: requests.Response, began: float) -> None:
        with self.lock:
            self.by_action[action] += 1
            self.statuses[response.status_code] += 1
            self.latencies.append((time.perf_counter() - began) * 1000)
            if response.status_code >= 400:
                self.errors[(action, response.status_code)] += 1

    def acknowledge(self, kind: str, key) -> None:
        with self.lock:
            self.acknowledged[kind].add(key)


class FormFields(HTMLParser):
    """The fields of the form that carries a submission token, filled as a quick resident
    would: hidden values kept, the first choice of every radio group, the first territory."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self._form = {"fields": {}, "action": attributes.get("action") or ""}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attributes.get("name")
        fields = self._form["fields"]
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind == "hidden":
                fields.setdefault(name, attributes.get("value") or "")
            elif kind == "radio" and name not in fields:
                fields[name] = attributes.get("value") or ""
        elif tag == "select" and name and not name.startswith("q"):
            self._select = name
        elif tag == "option" and self._select and attributes.get("value"):
            fields.setdefault(self._select, attributes["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def answer_fields(html: str) -> dict | None:
    parser = FormFields()
    parser.feed(html)
    for form in parser.forms:
        if "submission_token" in form["fields"]:
            return form["fields"]
    return None


@dataclass
class Plan:
    base: str
    endpoints: set
    idea_ids: list
    survey_id: int | None
    category_id: int | None


class Resident(threading.Thread):
    def __init__(self, number: int, plan: Plan, tally: Tally, deadline: float):
        super().__init__(daemon=True)
        self.number, self.plan, self.tally, self.deadline = number, plan, tally, deadline
        self.random = random.Random(number)
        self.http = requests.Session()
        self.email = f"bench{number}@example.invalid"
        self.signed_in = False
        self.writes = 0

    # --- helpers -----------------------------------------------------------------------
    def get(self, action: str, path: str, http: requests.Session | None = None):
        began = time.perf_counter()
        response = (http or self.http).get(self.plan.base + path, timeout=30)
        self.tally.record(action, response, began)
        return response

    def post(self, action: str, path: str, data: dict, http: requests.Session | None = None):
        began = time.perf_counter()
        response = (http or self.http).post(
            self.plan.base + path, data=data, timeout=30, allow_redirects=False
        )
        self.tally.record(action, response, began)
        return response

    def has(self, endpoint: str) -> bool:
        return endpoint in self.plan.endpoints

    # --- what a resident does ------------------------------------------------------------
    def browse_map(self):
        self.get("map page", "/lv/ideas" if self.has("ideas.index") else "/lv/")
        if self.has("api.ideas"):
            west = self.random.uniform(BBOX[0], BBOX[2] - 0.2)
            south = self.random.uniform(BBOX[1], BBOX[3] - 0.1)
            bbox = f"{west:.4f},{south:.4f},{west + 0.2:.4f},{south + 0.1:.4f}"
            self.get("ideas GeoJSON", f"/api/v1/ideas.geojson?bbox={bbox}")

    def read(self):
        pages = ["/lv/", "/en/", "/lv/privacy"]
        if self.has("ideas.list"):
            pages.append("/lv/ideas/list")
        if self.has("feedback.index"):
            pages.append("/lv/feedback")
        if self.has("surveys.index"):
            pages.append("/lv/surveys/")
        self.get("pages", self.random.choice(pages))
        if self.has("ideas.show") and self.plan.idea_ids:
            self.get("idea page", f"/lv/ideas/{self.random.choice(self.plan.idea_ids)}")

    def register(self):
        http = requests.Session()
        form = self.get("register", "/lv/account/register", http)
        email = f"load-{self.number}-{self.writes}-{time.monotonic_ns()}@example.lv"
        self.writes += 1
        response = self.post(
            "register",
            "/lv/account/register",
            {
                "csrf_token": CSRF.search(form.text).group(1),
                "email": email,
                "display_name": f"Slodzes iedzīvotājs {self.number}",
                "password": "garš-un-drošs-1",
                "password_confirm": "garš-un-drošs-1",
                "accept_privacy": "y",
            },
            http,
        )
        if response.status_code == 200 and REGISTERED in response.text:
            self.tally.acknowledge("registrations", email)

    def sign_in(self) -> bool:
        form = self.get("sign in", "/lv/account/sign-in")
        response = self.post(
            "sign in",
            "/lv/account/sign-in",
            {
                "csrf_token": CSRF.search(form.text).group(1),
                "email": self.email,
                "password": PASSWORD,
            },
        )
        self.signed_in = response.status_code == 302
        return self.signed_in

    def submit_idea(self):
        form = self.get("idea form", "/lv/ideas/new")
        if form.status_code != 200:
            return
        token = TOKEN.search(form.text).group(1)
        lon = self.random.uniform(27.22, 27.30)
        lat = self.random.uniform(57.11, 57.15)
        response = self.post(
            "submit idea",
            "/lv/ideas/new",
            {
                "csrf_token": CSRF.search(form.text).group(1),
                "title": f"Slodzes priekšlikums {self.number}-{self.writes}",
                "description": "Pie bibliotēkas nav kur apsēsties, vajadzētu vismaz divus soliņus.",
                "category": self.plan.category_id,
                "lat": f"{lat:.6f}",
                "lon": f"{lon:.6f}",
                "step": "confirm",
                "submission_token": token,
            },
        )
        self.writes += 1
        if response.status_code == 302 and IDEA_PAGE.search(response.headers["Location"]):
            self.tally.acknowledge("ideas", token)

    def support(self):
        idea_id = self.random.choice(self.plan.idea_ids)
        page = self.get("idea page", f"/lv/ideas/{idea_id}")
        match = CSRF.search(page.text)
        if page.status_code != 200 or not match:
            return
        response = self.post(
            "support", f"/lv/ideas/{idea_id}/support", {"csrf_token": match.group(1)}
        )
        if response.status_code in (302, 303):
            self.tally.acknowledge("supports", (self.email, idea_id))

    def answer_survey(self):
        http = requests.Session()  # a new visitor: the survey is open to anyone
        page = self.get("survey", f"/lv/surveys/{self.plan.survey_id}", http)
        fields = answer_fields(page.text) if page.status_code == 200 else None
        if not fields:
            return
        response = self.post("answer survey", f"/lv/surveys/{self.plan.survey_id}", fields, http)
        if response.status_code in (302, 303) and "thanks" in response.headers["Location"]:
            self.tally.acknowledge("survey answers", fields["submission_token"])

    def actions(self) -> list[tuple]:
        actions = [(self.browse_map, 30), (self.read, 30), (self.register, 4)]
        if self.signed_in and self.has("ideas.create") and self.plan.category_id:
            actions.append((self.submit_idea, 5))
        if self.signed_in and self.has("ideas.support") and self.plan.idea_ids:
            actions.append((self.support, 6))
        if self.has("surveys.show") and self.plan.survey_id:
            actions.append((self.answer_survey, 6))
        return actions

    def attempt(self, action) -> None:
        """One step; a request that gets no answer in time is counted, and the resident goes on."""
        try:
            action()
        except (requests.Timeout, requests.ConnectionError) as error:
            with self.tally.lock:
                self.tally.timeouts[(action.__name__, type(error).__name__)] += 1

    def run(self) -> None:
        try:
            time.sleep(self.random.uniform(0, 10))  # residents arrive over ten seconds
            if self.has("ideas.create") or self.has("ideas.support"):
                self.attempt(self.sign_in)
            actions = self.actions()
            choices, weights = zip(*actions, strict=True)
            while time.monotonic() < self.deadline:
                self.attempt(self.random.choices(choices, weights)[0])
                time.sleep(self.random.uniform(0.2, 1.0))  # reading, typing
        except Exception as error:  # a resident that crashes is a finding, not a stop
            with self.tally.lock:
                self.tally.failures.append(
                    f"resident {self.number}: {type(error).__name__}: {error}"
                )


def verify(database_url: str, tally: Tally) -> dict[str, tuple[int, int, int]]:
    """(acknowledged, stored once, missing or duplicated) per kind of write."""
    queries = {
        "registrations": "SELECT email, count(*) FROM users WHERE email = ANY(%s) GROUP BY 1",
        "ideas": "SELECT submission_token, count(*) FROM ideas"
        " WHERE submission_token = ANY(%s) GROUP BY 1",
        "survey answers": "SELECT submission_token, count(*) FROM survey_responses"
        " WHERE submission_token = ANY(%s) GROUP BY 1",
    }
    results = {}
    with psycopg.connect(plain_url(database_url)) as conn:
        for kind, sql in queries.items():
            keys = sorted(tally.acknowledged.get(kind, ()))
            counts = dict(conn.execute(sql, (keys,)).fetchall()) if keys else {}
            once = sum(1 for key in keys if counts.get(key) == 1)
            results[kind] = (len(keys), once, len(keys) - once)
        pairs = sorted(tally.acknowledged.get("supports", ()))
        stored = 0
        if pairs:
            emails, ideas = zip(*pairs, strict=True)
            stored = conn.execute(
                "SELECT count(*) FROM supports s JOIN users u ON u.id = s.user_id"
                " JOIN unnest(%s::text[], %s::int[]) AS p(email, idea_id)"
                " ON p.email = u.email AND p.idea_id = s.idea_id",
                (list(emails), list(ideas)),
            ).fetchone()[0]
        results["supports"] = (len(pairs), stored, len(pairs) - stored)
    return results


def report(args, tally: Tally, results: dict, seconds: float) -> tuple[str, bool]:
    total = sum(tally.by_action.values())
    server_errors = sum(count for status, count in tally.statuses.items() if status >= 500)
    missing = sum(bad for _, _, bad in results.values())
    unanswered = sum(tally.timeouts.values())
    ok = server_errors == 0 and missing == 0 and not tally.failures and not unanswered
    p50, p95, p99 = (percentile(tally.latencies, p) or 0 for p in (50, 95, 99))
    lines = [
        f"{args.residents} residents for {args.duration} s on loopback "
        f"(gunicorn {args.workers} workers x {args.threads} threads, {os.cpu_count()} cores, "
        f"{args.ideas} ideas in the database); ran {seconds:.0f} s; machine load average "
        f"{args.load_before:.1f} before, {os.getloadavg()[0]:.1f} after.",
        "",
        f"- requests: {total} ({total / seconds:.0f}/s); latency p50 {p50:.0f} ms,"
        f" p95 {p95:.0f} ms, p99 {p99:.0f} ms",
        "- by status: " + ", ".join(f"{s}: {n}" for s, n in sorted(tally.statuses.items())),
        f"- 5xx: {server_errors}; requests without an answer within 30 s: {unanswered}"
        + "".join(f"; {a} ({e}): {n}" for (a, e), n in sorted(tally.timeouts.items())),
        "- 4xx by action: "
        + (", ".join(f"{a} {s}: {n}" for (a, s), n in sorted(tally.errors.items())) or "none"),
        "- by action: " + ", ".join(f"{a}: {n}" for a, n in sorted(tally.by_action.items())),
        "",
        "| acknowledged write | acknowledged | stored exactly once | missing or twice |",
        "|---|---|---|---|",
    ]
    lines += [f"| {kind} | {ack} | {once} | {bad} |" for kind, (ack, once, bad) in results.items()]
    lines += ["", f"Result: {'PASS' if ok else 'FAIL'}"]
    lines += [f"- {failure}" for failure in tally.failures[:10]]
    return "\n".join(lines), ok


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--ideas", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=6)
    args = parser.parse_args()
    database_url = os.environ.get("LOADTEST_DATABASE_URL", DEFAULT_DB)

    app = bench_app(database_url)
    print(f"Preparing {database_url.rsplit('/', 1)[-1]} with {args.ideas} ideas …", flush=True)
    generated = generate(app, database_url, args.ideas, survey_responses=200)
    with psycopg.connect(plain_url(database_url)) as conn:
        idea_ids = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM ideas WHERE hidden_at IS NULL AND withdrawn_at IS NULL"
                " AND NOT awaiting_approval ORDER BY random() LIMIT 500"
            )
        ]
        category = conn.execute("SELECT id FROM categories ORDER BY id LIMIT 1").fetchone()
    plan = Plan(
        base="",
        endpoints=set(app.view_functions),
        idea_ids=idea_ids,
        survey_id=generated.survey_id,
        category_id=category[0] if category else None,
    )
    workdir = Path(tempfile.mkdtemp(prefix="kopa-loadtest-"))
    server = Server(database_url, free_port(), args.workers, args.threads, workdir / "gunicorn.log")
    try:
        server.wait()
        plan.base = server.url
        args.load_before = os.getloadavg()[0]
        tally = Tally()
        started = time.monotonic()
        residents = [
            Resident(number, plan, tally, started + args.duration)
            for number in range(1, args.residents + 1)
        ]
        for resident in residents:
            resident.start()
        for resident in residents:
            resident.join(timeout=args.duration + 120)
        seconds = time.monotonic() - started
    finally:
        server.stop()
    results = verify(database_url, tally)
    text, ok = report(args, tally, results, seconds)
    (ROOT / "bench" / "loadtest-results.md").write_text("# Load test\n\n" + text + "\n")
    print(text)
    print(f"(gunicorn log: {workdir / 'gunicorn.log'})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
