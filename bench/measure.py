"""Measurements taken beside the load: SQL capture and EXPLAIN, memory from outside, photo cost."""

import gzip
import json
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import psutil
from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent


# --- the SQL behind a request ----------------------------------------------------------------


@contextmanager
def captured_sql(app):
    """Every statement (with its parameters) the app runs inside the block."""
    from app.extensions import db

    statements: list[tuple[str, object]] = []
    with app.app_context():
        engine = db.engine

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", remember)


def sql_of_request(app, path: str) -> list[tuple[str, object]]:
    """The statements one GET runs, apart from the session and health bookkeeping."""
    client = app.test_client()
    with captured_sql(app) as statements:
        response = client.get(path, headers={"Accept-Language": "lv"})
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return [(s, p) for s, p in statements if not s.lstrip().upper().startswith("SELECT 1")]


def _walk(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _walk(child)


def _rows(node: dict) -> int:
    return node.get("Actual Rows", 0) * node.get("Actual Loops", 1)


def explain(dsn: str, statements: list[tuple[str, object]]) -> list[dict]:
    """EXPLAIN (ANALYZE, BUFFERS) of each statement: time, scans, indexes, verdict."""
    import psycopg

    results = []
    with psycopg.connect(dsn) as conn:
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            row = conn.execute(
                "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters
            ).fetchone()
            conn.rollback()
            document = row[0][0]
            nodes = list(_walk(document["Plan"]))
            seq_scans = sorted(
                {
                    f"{n.get('Relation Name')} ({_rows(n)} rows)"
                    for n in nodes
                    if n["Node Type"] == "Seq Scan"
                }
            )
            indexes = sorted({n["Index Name"] for n in nodes if "Index Name" in n})
            results.append(
                {
                    "sql": " ".join(statement.split())[:160],
                    "ms": round(document["Execution Time"], 2),
                    "indexes": indexes,
                    "seq_scans": seq_scans,
                    "big_seq_scan_on_ideas": any(
                        n["Node Type"] == "Seq Scan"
                        and n.get("Relation Name") in {"ideas", "supports", "comments"}
                        and _rows(n) > 5000
                        for n in nodes
                    ),
                }
            )
    return results


# --- memory, measured from outside ----------------------------------------------------------


def _hwm_kib(pid: int) -> int | None:
    """The kernel's high-water mark of resident memory (VmHWM) of a live process."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class WorkerMemory:
    """Samples the RSS of gunicorn's workers while the load runs; keeps the peaks."""

    def __init__(self, master_pid: int, interval: float = 0.2):
        self.master = psutil.Process(master_pid)
        self.interval = interval
        self.peak_rss: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            for worker in self.master.children():
                try:
                    rss = worker.memory_info().rss
                except psutil.Error:
                    continue
                self.peak_rss[worker.pid] = max(self.peak_rss.get(worker.pid, 0), rss)
            time.sleep(self.interval)

    def rss_mb(self) -> float:
        """The largest RSS of a worker right now (before the load: the idle worker)."""
        sizes = []
        for worker in self.master.children():
            try:
                sizes.append(worker.memory_info().rss)
            except psutil.Error:
                continue
        return round(max(sizes, default=0) / 2**20, 1)

    def __enter__(self):
        self.idle_mb = self.rss_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict:
        hwm = {w.pid: _hwm_kib(w.pid) for w in self.master.children()}
        return {
            "idle_rss_mb": getattr(self, "idle_mb", None),
            "end_rss_mb": self.rss_mb(),
            "peak_rss_mb": round(max(self.peak_rss.values(), default=0) / 2**20, 1),
            "vm_hwm_mb": round(max((v or 0) for v in hwm.values()) / 1024, 1) if hwm else None,
            "workers": len(hwm),
        }


PHOTO_SCRIPT = r"""
import io, sys, tempfile
from werkzeug.datastructures import FileStorage
from app import create_app
from app.core.uploads import store_image
app = create_app("testing", UPLOAD_DIR=tempfile.mkdtemp(), SQLALCHEMY_DATABASE_URI=sys.argv[2])
data = open(sys.argv[1], "rb").read()
print("ready", flush=True); sys.stdin.readline()
with app.app_context():
    store_image(FileStorage(stream=io.BytesIO(data), filename="big.jpg", content_type="image/jpeg"))
print("done", flush=True); sys.stdin.readline()
"""


def photo_memory(database_url: str, workdir: Path) -> dict:
    """Peak memory (VmHWM, read from outside) of a process storing a 40-megapixel photo."""
    from PIL import Image

    source = workdir / "photo-40mp.jpg"
    if not source.exists():
        width, height = 7744, 5164  # 39.99 megapixels, just under the limit
        gradient = Image.linear_gradient("L").resize((width, height))
        Image.merge("RGB", (gradient, gradient.rotate(90), gradient)).save(source, quality=90)
    child = subprocess.Popen(
        [sys.executable, "-c", PHOTO_SCRIPT, str(source), database_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        before = _hwm_kib(child.pid)
        started = time.perf_counter()
        child.stdin.write("go\n")
        child.stdin.flush()
        if child.stdout.readline().strip() != "done":
            raise RuntimeError("storing the photo failed")
        seconds = time.perf_counter() - started
        after = _hwm_kib(child.pid)
        child.stdin.write("bye\n")
        child.stdin.flush()
    finally:
        child.wait(timeout=60)
    return {
        "file_mb": round(source.stat().st_size / 2**20, 1),
        "baseline_mb": round((before or 0) / 1024, 1),
        "peak_mb": round((after or 0) / 1024, 1),
        "seconds": round(seconds, 2),
    }


def body_sizes(body: bytes) -> dict:
    return {"bytes": len(body), "gzip_bytes": len(gzip.compress(body, compresslevel=6))}


def features_of(body: bytes) -> dict:
    document = json.loads(body)
    features = document.get("features", [])
    clusters = sum(1 for f in features if f.get("properties", {}).get("cluster"))
    return {"features": len(features), "clusters": clusters}
