"""bench/results.md: the measured numbers, their floors, and each target met or missed."""

from datetime import UTC, datetime
from pathlib import Path

GEOJSON = ("ideas GeoJSON, whole municipality", "ideas GeoJSON, street zoom")
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


def _targets(results: list[dict], photo: dict | None, rate: float) -> list[str]:
    """Each target of the issue, checked against the largest run that has the numbers."""
    lines = ["| Target | Measured | Verdict |", "|---|---|---|"]
    by_n = {r["n"]: r for r in results}
    main = by_n.get(100_000) or results[-1]
    n = f"{main['n']:,}"
    for name in GEOJSON:
        size = main["sizes"].get(name)
        if size:
            ok = size["features"] <= 1000 and size["gzip_bytes"] <= 150 * 1024
            lines.append(
                f"| {name}: ≤ 1,000 features and ≤ 150 KB gzipped ({n} ideas) "
                f"| {size['features']} features, {_kb(size['gzip_bytes'])} KB | "
                f"{'met' if ok else '**missed**'} |"
            )
    rows = {name: measured for name, measured, _ in main["rows"]}
    floor = rows.get("framework floor: /bench/ping")
    for name in GEOJSON:
        if name in rows and floor:
            ratio = rows[name]["rps"] / floor["rps"]
            lines.append(
                f"| {name}: throughput ≥ ½ of the framework floor | {ratio:.2f} × floor | "
                f"{'met' if ratio >= 0.5 else '**missed**'} |"
            )
    for name, measured in main["rate"]:
        if name in GEOJSON or name in PAGES:
            ok = measured["p95"] is not None and measured["p95"] < 100 and not measured["errors"]
            lines.append(
                f"| {name}: p95 < 100 ms at {rate:.0f} req/s | p95 {_ms(measured['p95'])} ms | "
                f"{'met' if ok else '**missed**'} |"
            )
    pages = [r["sizes"].get("map page", {}).get("bytes") for r in results]
    if all(pages) and len(pages) > 1:
        same = max(pages) - min(pages) <= 512
        counts = ", ".join(f"{r['n']:,}: {p:,} B" for r, p in zip(results, pages, strict=True))
        lines.append(
            f"| map page the same size at every N | {counts} | {'met' if same else '**missed**'} |"
        )
    for result in results:
        for name, measured, _ in result["rows"]:
            if name == "survey results":
                # The page's own time: the median with 8 clients, not the overloaded 50 req/s.
                responses = result["generated"].survey_responses
                ok = measured["p50"] is not None and measured["p50"] < 1000
                lines.append(
                    f"| survey results under 1 s with {responses:,} responses | "
                    f"p50 {_ms(measured['p50'])} ms (8 clients) | {'met' if ok else '**missed**'} |"
                )
    memory = main.get("memory") or {}
    if memory:
        peak = max(memory.get("peak_rss_mb") or 0, memory.get("vm_hwm_mb") or 0)
        lines.append(
            f"| web worker memory under load ≤ 200 MB | peak {peak} MB (RSS sampled and VmHWM) "
            f"| {'met' if peak <= 200 else '**missed**'} |"
        )
    if photo and "peak_mb" in photo:
        lines.append(
            f"| storing a 40-megapixel photo ≤ 500 MB | peak {photo['peak_mb']} MB "
            f"(process baseline {photo['baseline_mb']} MB, {photo['seconds']} s) | "
            f"{'met' if photo['peak_mb'] <= 500 else '**missed**'} |"
        )
    elif photo:
        lines.append(f"| storing a 40-megapixel photo ≤ 500 MB | {photo['error']} | not measured |")
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
        memory = result.get("memory") or {}
        lines += [
            "### Memory of the web workers (from outside: psutil RSS samples and /proc VmHWM)",
            "",
            f"Peak RSS {memory.get('peak_rss_mb')} MB, VmHWM {memory.get('vm_hwm_mb')} MB "
            f"over {memory.get('workers')} workers.",
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
    lines += ["## Targets", "", *_targets(results, photo, args.rate), ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
