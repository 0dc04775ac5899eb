"""Turn a folium.Map into page fragments that load only our own assets.

folium links Leaflet, jQuery, Bootstrap and Font Awesome from five CDNs. We strip every
default asset, serve the libraries a map really needs from /vendor, drop folium's
full-page styles and its zoom-blocking viewport tag, and put the CSP nonce on the
inline script and style blocks that remain.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from app.i18n import _

if TYPE_CHECKING:  # folium and branca load where a map is rendered, not with every worker
    import folium
    from branca.element import Element

# folium asset name -> our vendor path. Names not listed are dropped.
VENDOR_ASSETS = {
    "leaflet": ("js", "leaflet/leaflet.js"),
    "leaflet_css": ("css", "leaflet/leaflet.css"),
    "markerclusterjs": ("js", "leaflet.markercluster/leaflet.markercluster.js"),
    "markerclustercss": ("css", "leaflet.markercluster/MarkerCluster.css"),
    "markerclusterdefaultcss": ("css", "leaflet.markercluster/MarkerCluster.Default.css"),
    "leaflet-heat.js": ("js", "leaflet.heat/leaflet-heat.js"),
}
ALWAYS = ("leaflet", "leaflet_css")

_DROP_HEADER = [
    re.compile(r"<meta[^>]*>", re.I),
    re.compile(r"<style>\s*html,\s*body\s*\{.*?</style>", re.S),
    re.compile(r"<style>\s*#map\s*\{.*?</style>", re.S),
]
_OPEN_TAG = re.compile(r"<(script|style)(?=[\s>])(?![^>]*\bsrc=)")


@dataclass
class RenderedMap:
    map_id: str
    header: Markup
    html: Markup
    script: Markup
    js: list[str] = field(default_factory=list)
    css: list[str] = field(default_factory=list)


def _walk(element: Element):
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _take_assets(root: Element) -> tuple[list[str], list[str]]:
    from branca.element import Element, MacroElement

    js, css = [], []
    names = list(ALWAYS)
    for element in _walk(root):
        for attr in ("default_js", "default_css"):
            for name, _url in getattr(element, attr, []) or []:
                names.append(name)
        if isinstance(element, MacroElement | Element):
            # Instance attributes shadow the class lists, so rendering emits no CDN link.
            element.default_js = []
            element.default_css = []
    for name in dict.fromkeys(names):
        kind, path = VENDOR_ASSETS.get(name, (None, None))
        if kind == "js":
            js.append(path)
        elif kind == "css":
            css.append(path)
    return js, css


def _with_nonce(html: str, nonce: str) -> Markup:
    return Markup(_OPEN_TAG.sub(lambda m: f'<{m.group(1)} nonce="{nonce}"', html))  # noqa: S704


def _attribution_prefix(map_name: str) -> str:
    """Leaflet's own credit link carries an English title: say it in the reader's language."""
    title = escape(_("A JavaScript library for interactive maps"))
    prefix = f'<a href="https://leafletjs.com" title="{title}">Leaflet</a>'
    return (
        f"\nif ({map_name}.attributionControl) "
        f"{{ {map_name}.attributionControl.setPrefix({json.dumps(prefix)}); }}"
    )


def render_map(fmap: folium.Map, nonce: str) -> RenderedMap:
    """Render the map's fragments for embedding in one of our templates."""
    figure = fmap.get_root()
    js, css = _take_assets(figure)
    figure.render()
    header = figure.header.render()
    for pattern in _DROP_HEADER:
        header = pattern.sub("", header)
    return RenderedMap(
        map_id=fmap.get_name(),
        header=_with_nonce(header, nonce),
        html=Markup(figure.html.render()),  # noqa: S704 - folium's own markup
        script=_with_nonce(
            f"<script>{figure.script.render()}{_attribution_prefix(fmap.get_name())}</script>",
            nonce,
        ),
        js=js,
        css=css,
    )
