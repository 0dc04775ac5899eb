"""bench/results.md: the measured numbers, their floors, and each target met or missed."""

from datetime import UTC, datetime
from pathlib import Path

GEOJSON = (
    "ideas GeoJSON, whole municipality",
    "ideas GeoJSON, street zoom",
    "ideas GeoJSON, street zoom, many places",
)
PAGES = ("map page", "idea list", "idea page", "survey results")


def _ms(value) -> str:
    return "–" if value is None else f"{value:.1f}"


def _kb(value: int) -> str:
    return f"{value / 1024:.1f}"


def _closed_table(result: dict) -> list[str]:
    rows = {name: measured for name, measured, _ in result["rows"]}
    floor = rows.get("framework floor: /bench/ping")
    lines = [
        "| Request | req/s | p50 ms | p95 ms | p99 ms | errors | × framework floor "
        "| × database floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, measured, floor_name in result["rows"]:
        ratio = f"{measured['rps'] / floor['rps']:.2f}" if floor and floor["rps"] else "–"
        db_ratio = "–"
        if floor_name and rows.get(floor_name) and rows[floor_name]["rps"]:
            db_ratio = f"{measured['rps'] / rows[floor_name]['rps']:.2f}"
        lines.append(
            f"| {name} | {measured['rps']:.0f} | {_ms(measured['p50'])} | {_ms(measured['p95'])} "
            f"| {_ms(measured['p99'])} | {measured['errors']} | {ratio} | {db_ratio} |"
        )
    return lines


def _rate_table(result: dict, rate: float) -> list[str]:
    lines = [
        f"| Request at {rate:.0f} req/s | achieved req/s | p50 ms | p95 ms | p99 ms | errors "
        "| p95 < 100 ms |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, measured in result["rate"]:
        met = measured["p95"] is not None and measured["p95"] < 100 and not measured["errors"]
        lines.append(
            f"| {name} | {measured['rps']:.1f} | {_ms(measured['p50'])} | {_ms(measured['p95'])} "
            f"| {_ms(measured['p99'])} | {measured['errors']} | {'met' if met else '**missed**'} |"
        )
    return lines


def _sizes_table(result: dict) -> list[str]:
    lines = ["| Response | bytes | gzip KB | features (clusters) |", "|---|---:|---:|---:|"]
    for name, size in result["sizes"].items():
        features = f"{size['features']} ({size['clusters']})" if "features" in size else "–"
        lines.append(f"| {name} | {size['bytes']:,} | {_kb(size['gzip_bytes'])} | {features} |")
    return lines


def _explain_lines(result: dict) -> list[str]:
    lines = []
    for name, plans in result["explain"].items():
        lines.append(f"- **{name}**")
        for plan in plans:
            if "error" in plan:
                lines.append(f"  - could not explain: {plan['error']}")
                continue
            verdict = "seq scan on a big table" if plan["big_seq_scan_on_ideas"] else "ok"
            indexes = ", ".join(plan["indexes"]) or "none"
            scans = ", ".join(plan["seq_scans"]) or "none"
            lines.append(
                f"  - {plan['ms']} ms, {verdict}; indexes: {indexes}; seq scans: {scans}  \n"
                f"    `{plan['sql']}`"
            )
    return lines


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


class _Targets:
    """The Targets table, one row per target and size, and why each miss happened."""

    def __init__(self, rate: float, concurrency: int):
        self.rate = rate
        self.concurrency = concurrency
        self.lines = ["| Target | Ideas | Measured | Verdict |", "|---|---:|---|---|"]
        self.misses: list[str] = []

    def add(self, target: str, n: str, measured: str, ok: bool, why: str, fix: str) -> None:
        self.lines.append(f"| {target} | {n} | {measured} | {_verdict(ok)} |")
        if not ok:
            self.misses.append(f"- **{target}** ({n} ideas): {why} *What would fix it:* {fix}")

    def sizes(self, result: dict) -> None:
        for name in GEOJSON:
            size = result["sizes"].get(name)
            if not size:
                continue
            features, kb = size["features"], size["gzip_bytes"] / 1024
            if features > 1000:
                why, fix = (
                    f"{features} features in one answer: the switch to clusters did not apply.",
                    "cluster whenever more than MAX_FEATURES ideas are in view "
                    "(app/ideas/queries.py).",
                )
            else:
                why, fix = (
                    f"{features} features make {kb:.0f} KB gzipped: the properties are too big.",
                    "send fewer properties per idea (the popup can fetch the rest) or cluster "
                    "from a lower count.",
                )
            self.add(
                f"{name}: ≤ 1,000 features and ≤ 150 KB gzipped",
                f"{result['n']:,}",
                f"{features} features, {kb:.1f} KB",
                features <= 1000 and kb <= 150,
                why,
                fix,
            )

    def throughput(self, result: dict) -> None:
        rows = {name: (measured, floor) for name, measured, floor in result["rows"]}
        framework = rows.get("framework floor: /bench/ping", (None, None))[0]
        if not framework or not framework["rps"]:
            return
        for name, (measured, floor_name) in rows.items():
            if not name.startswith("ideas GeoJSON"):
                continue
            ratio = measured["rps"] / framework["rps"]
            database = rows.get(floor_name, (None, None))[0] if floor_name else None
            half = framework["rps"] / 2
            # Faster than its SQL allows: the answers were shared (the cache), not computed.
            if database and database["rps"] < half and measured["rps"] <= 1.2 * database["rps"]:
                why = (
                    f"{measured['rps']:.0f} req/s against a framework floor of "
                    f"{framework['rps']:.0f}; the SQL alone answers only {database['rps']:.0f} "
                    f"req/s from {self.concurrency} connections (database floor), below ½ of the "
                    "framework floor, so every answer that is computed rather than shared is "
                    "bound by PostgreSQL."
                )
                fix = (
                    "more answers from the shared cache (views snapped to tiles are shared; "
                    "first visits are not), a cheaper statement (fewer JSON properties, "
                    "pre-rendered feature JSON per idea), or PostgreSQL on cores of its own."
                )
            else:
                why = (
                    f"{measured['rps']:.0f} req/s against a framework floor of "
                    f"{framework['rps']:.0f}"
                    + (f" and a database floor of {database['rps']:.0f}" if database else "")
                    + ": most answers come from the shared cache, and the time goes to the "
                    "Python side of each request (request hooks, the Redis round trip, sending "
                    "the body) and to the cores that gunicorn, Redis, PostgreSQL and the load "
                    "generator share."
                )
                fix = (
                    "profile a cache hit under load (py-spy) and trim the work per request; "
                    "or let a front proxy cache the answers (they carry ETags and a short "
                    "max-age) so hits never reach Python."
                )
            self.add(
                f"{name}: throughput ≥ ½ of the framework floor",
                f"{result['n']:,}",
                f"{ratio:.2f} × floor ({measured['rps']:.0f} of {framework['rps']:.0f} req/s)",
                ratio >= 0.5,
                why,
                fix,
            )

    def latency(self, result: dict) -> None:
        closed = {name: measured for name, measured, _ in result["rows"]}
        for name, measured in result["rate"]:
            if not (name.startswith("ideas GeoJSON") or name in PAGES):
                continue
            ok = measured["p95"] is not None and measured["p95"] < 100 and not measured["errors"]
            most = closed.get(name, {}).get("rps")
            if measured["rps"] < 0.9 * self.rate:
                why = (
                    f"the server cannot keep up with {self.rate:.0f} req/s of this request "
                    f"(it managed {measured['rps']:.1f}; {most or 0:.0f} req/s at most with "
                    f"{self.concurrency} clients), so requests queue"
                    + (f" and {measured['errors']} failed." if measured["errors"] else ".")
                )
                fix = "make the request itself cheaper (see its maximum-throughput row)."
            else:
                why = (
                    f"p50 {_ms(measured['p50'])} ms but p95 {_ms(measured['p95'])} ms: a slow "
                    "tail (computed answers, other requests on the same cores, garbage "
                    "collection)."
                    + (f" {measured['errors']} requests failed." if measured["errors"] else "")
                )
                fix = "find the slow statement in the EXPLAIN list; share or precompute it."
            self.add(
                f"{name}: p95 < 100 ms at {self.rate:.0f} req/s",
                f"{result['n']:,}",
                f"p95 {_ms(measured['p95'])} ms",
                ok,
                why,
                fix,
            )

    def survey(self, result: dict) -> None:
        uncached = result.get("survey_uncached_ms")
        if not uncached:
            return
        # The first view after a new answer counts everything; later views read the cache.
        median = uncached[len(uncached) // 2]
        responses = result["generated"].survey_responses
        cached = next((m for n, m, _ in result["rows"] if n == "survey results"), None)
        also = ""
        if cached:
            also = f"; cached p50 {_ms(cached['p50'])} ms ({self.concurrency} clients)"
        self.add(
            f"survey results under 1 s with {responses:,} responses",
            f"{result['n']:,}",
            f"uncached median {median:.0f} ms (one request at a time){also}",
            median < 1000,
            f"counting all {responses:,} responses and their answers takes this long.",
            "count from a per-question tally table kept by the answer trigger.",
        )

    def memory(self, result: dict) -> None:
        memory = result.get("memory") or {}
        if not memory:
            return
        peak = max(memory.get("peak_rss_mb") or 0, memory.get("vm_hwm_mb") or 0)
        idle, settled = memory.get("idle_rss_mb") or 0, memory.get("end_rss_mb") or 0
        why = (
            f"an idle worker holds {idle} MB (the imported app), {settled} MB after the mix; "
            f"the peak is {peak - settled:.0f} MB above that."
        )
        fix = (
            "load libraries that few requests need where they are used (`python -X importtime`"
            " shows them), fewer threads per worker, or MALLOC_ARENA_MAX=2 in the service "
            "environment so each thread does not keep its own malloc arena."
        )
        if peak - settled >= 50:
            why += (
                " A spike that size is the sign-ins before the submission test: argon2id "
                "password hashing with argon2-cffi's defaults fills 64 MiB per hash."
            )
            fix = (
                "hash with OWASP's argon2id m=19 MiB, t=2, p=1 (old hashes still verify and "
                "are rehashed at sign-in), and at most one hash at a time per worker; then " + fix
            )
        self.add(
            "web worker memory under load ≤ 200 MB",
            f"{result['n']:,}",
            f"peak {peak} MB (idle {idle} MB, {settled} MB after; RSS sampled and VmHWM)",
            peak <= 200,
            why,
            fix,
        )

    def map_page(self, results: list[dict]) -> None:
        pages = [(r["n"], r["sizes"].get("map page", {}).get("bytes")) for r in results]
        pages = [(n, size) for n, size in pages if size]
        if len(pages) < 2:
            return
        (small_n, small), (large_n, large) = min(pages), max(pages)
        self.add(
            "map page the same size at every N",
            f"{small_n:,} vs {large_n:,}",
            ", ".join(f"{n:,}: {size:,} B" for n, size in pages),
            max(s for _, s in pages) - min(s for _, s in pages) <= 512,
            f"the page is {large - small:+,} bytes larger with {large_n:,} ideas: it embeds "
            "something per idea.",
            "leave ideas out of the page; the map client loads them from the API.",
        )

    def photo(self, photo: dict | None) -> None:
        if photo and "peak_mb" in photo:
            self.add(
                "storing a 40-megapixel photo ≤ 500 MB",
                "–",
                f"peak {photo['peak_mb']} MB (process baseline {photo['baseline_mb']} MB, "
                f"{photo['seconds']} s)",
                photo["peak_mb"] <= 500,
                "decoding holds the full-size pixels, and each resized copy more.",
                "decode at reduced size (Image.draft) and resize in place.",
            )
        elif photo:
            self.lines.append(
                f"| storing a 40-megapixel photo ≤ 500 MB | – | {photo['error']} | not measured |"
            )


def _targets(results: list[dict], photo: dict | None, rate: float, concurrency: int = 8):
    """Each target of the issue, for every size measured; then why each miss happened."""
    targets = _Targets(rate, concurrency)
    for result in results:
        targets.sizes(result)
    for result in results:
        targets.throughput(result)
    for result in results:
        targets.latency(result)
    targets.map_page(results)
    for result in results:
        targets.survey(result)
    for result in results:
        targets.memory(result)
    targets.photo(photo)
    lines = list(targets.lines)
    sizes = {r["n"] for r in results}
    absent = [f"{n:,}" for n in (10_000, 100_000, 1_000_000) if n not in sizes]
    if absent:
        lines += ["", f"Not measured in this run: {', '.join(absent)} ideas."]
    if targets.misses:
        lines += ["", "### Why the missed targets were missed, and what would fix them", ""]
        lines += targets.misses
    return lines


def write_report(path: Path, machine: dict, args, results: list[dict], photo, seconds: float):
    lines = [
        "# Kopā benchmark results",
        "",
        f"Produced by `make bench` (`python -m bench.run`) on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {seconds / 60:.0f} minutes. "
        "Numbers are for this machine only; no test asserts a timing.",
        "",
        "## Machine",
        "",
        f"- CPU: {machine['cpu']}, {machine['cores']} cores; memory {machine['memory_gb']} GB; "
        f"Linux {machine['kernel']}",
        f"- {machine['postgres']}, PostGIS {machine['postgis']}; Python {machine['python']}",
        f"- gunicorn with `gunicorn.conf.py` (production settings): {args.workers} workers × "
        f"{args.threads} threads, on 127.0.0.1; PostgreSQL, gunicorn and the load generator "
        "share the same cores.",
        f"- Load: `bench/load.py` in its own process, keep-alive HTTP/1.1; maximum throughput "
        f"with {args.concurrency} concurrent clients for {args.duration:.0f} s per request "
        f"type, then a fixed {args.rate:.0f} requests/s for {args.duration:.0f} s "
        "(latency counted from the scheduled send time).",
        "",
    ]
    for result in results:
        generated = result["generated"]
        lines += [
            f"## {result['n']:,} ideas",
            "",
            f"Generated in {generated.seconds['total']:.0f} s: {generated.ideas:,} ideas "
            f"({generated.public_ideas:,} public), {generated.supports:,} supports, "
            f"{generated.comments:,} comments, {generated.users:,} users, "
            f"{generated.survey_responses:,} survey responses.",
            "",
        ]
        if result.get("load_before") and result.get("load_after"):
            before = ", ".join(f"{v:.1f}" for v in result["load_before"])
            after = ", ".join(f"{v:.1f}" for v in result["load_after"])
            lines.append(
                f"- Load average of the machine (1, 5, 15 min) before the load: {before}; "
                f"after: {after}."
            )
        for note in generated.notes:
            lines.append(f"- Note: {note}")
        if result["missing"]:
            lines.append(
                "- Not measured (feature missing when this ran): " + "; ".join(result["missing"])
            )
        lines += ["", "### Maximum throughput", "", *_closed_table(result), ""]
        lines += [f"### At {args.rate:.0f} requests/s", "", *_rate_table(result, args.rate), ""]
        lines += ["### Response sizes", "", *_sizes_table(result), ""]
        uncached = result.get("survey_uncached_ms")
        if uncached:
            times = ", ".join(f"{ms:.0f}" for ms in uncached)
            lines += [
                "### Survey results without the cache",
                "",
                f"The results page of the survey with {generated.survey_responses:,} responses "
                "(every question kind; the public view, by territorial unit), counted on each "
                "request: "
                f"{len(uncached)} requests one after another, in process, sorted: {times} ms.",
                "",
            ]
        memory = result.get("memory") or {}
        lines += [
            "### Memory of the web workers (from outside: psutil RSS samples and /proc VmHWM)",
            "",
            f"Idle (booted, before the load) {memory.get('idle_rss_mb')} MB; peak RSS "
            f"{memory.get('peak_rss_mb')} MB, VmHWM {memory.get('vm_hwm_mb')} MB, after the load "
            f"{memory.get('end_rss_mb')} MB; the largest of {memory.get('workers')} workers.",
            "",
            "### EXPLAIN (ANALYZE) of the hot queries",
            "",
            *_explain_lines(result),
            "",
        ]
    if photo and "peak_mb" in photo:
        lines += [
            "## 40-megapixel photo",
            "",
            f"A 7744 × 5164 JPEG (39.99 megapixels, {photo['file_mb']} MB on disk) stored through "
            "`app.core.uploads.store_image` in a fresh process: resident memory before "
            f"{photo['baseline_mb']} MB (the imported app), peak (VmHWM, read from `/proc` by the "
            f"parent) **{photo['peak_mb']} MB**, in {photo['seconds']} s.",
            "",
        ]
    lines += ["## Targets", "", *_targets(results, photo, args.rate, args.concurrency), ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
