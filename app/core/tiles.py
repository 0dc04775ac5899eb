"""A small caching tile proxy, so map tiles reach the browser from our own origin."""

import io
import logging
import os
import urllib.request
from functools import cache
from pathlib import Path

from flask import current_app

log = logging.getLogger("kopa.tiles")


@cache
def blank_tile() -> bytes:
    """A plain light tile, shown when the upstream tile server cannot be reached."""
    from PIL import Image  # only here: a web worker need not carry Pillow for one tile

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (236, 240, 236)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def tile_png(z: int, x: int, y: int) -> tuple[bytes, bool]:
    """The tile's PNG bytes and whether it may be cached long."""
    upstream = current_app.config["TILE_UPSTREAM_URL"]
    if not upstream:
        return blank_tile(), True
    cached = Path(current_app.config["TILE_CACHE_DIR"]) / str(z) / str(x) / f"{y}.png"
    if cached.is_file():
        return cached.read_bytes(), True
    url = upstream.format(z=z, x=x, y=y, s="a")
    request = urllib.request.Request(url, headers={"User-Agent": "Kopa/0.1 (municipal tile cache)"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310
            body = response.read(2_000_000)
    except OSError as exc:
        log.warning("tile %s/%s/%s unavailable: %s", z, x, y, exc)
        return blank_tile(), False
    cached.parent.mkdir(parents=True, exist_ok=True)
    temporary = cached.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(body)
    temporary.replace(cached)
    return body, True
