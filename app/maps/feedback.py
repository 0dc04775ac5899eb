"""Choropleth of ideas per territorial unit for the feedback page (no DB access here)."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from markupsafe import escape

if TYPE_CHECKING:  # folium loads where a map is built, not with every web worker
    import folium

from app.maps.territories import base_map

# Light to dark blue; class 0 is "no ideas". Matches .legend-N in static/css/staff.css.
PALETTE = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
CLASSES = len(PALETTE) - 1


def count_class(count: int, highest: int) -> int:
    """0 for no ideas, else 1..4 by equal steps up to the highest count."""
    if count <= 0 or highest <= 0:
        return 0
    return max(1, min(CLASSES, math.ceil(count / highest * CLASSES)))


def legend(highest: int) -> list[tuple[int, int, int]]:
    """(class, lowest, highest count) for each class that can hold a whole number."""
    entries = [(0, 0, 0)]
    for step in range(1, CLASSES + 1):
        low = math.floor((step - 1) * highest / CLASSES) + 1
        high = math.floor(step * highest / CLASSES)
        if highest > 0 and low <= high:
            entries.append((step, low, high))
    return entries


def shade_units(fmap: folium.Map, data: dict, value: str, highest: int, layer: str) -> None:
    """Add the units of a GeoJSON FeatureCollection shaded by `properties[value]` in count
    classes up to `highest`, each named by `properties["label"]` in a tooltip."""
    import folium

    for feature in data["features"]:
        # folium's tooltip puts the value in innerHTML: a name is text, never markup.
        feature["properties"]["label"] = str(escape(feature["properties"].get("label") or ""))

    def style(feature):
        step = count_class(feature["properties"][value], highest)
        return {"color": "#1f4e79", "weight": 1, "fillColor": PALETTE[step], "fillOpacity": 0.7}

    folium.GeoJson(
        data,
        name=layer,
        style_function=style,
        highlight_function=lambda feature: {"weight": 3},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=True),
    ).add_to(fmap)


def ideas_choropleth(
    geojson: str, bounds: list[list[float]], tile_url: str, attribution: str
) -> tuple[folium.Map, int]:
    """Units shaded by their number of ideas; returns the map and the highest count."""
    fmap = base_map(tile_url, attribution)
    data = json.loads(geojson)
    highest = max((f["properties"]["ideas"] for f in data["features"]), default=0)
    if not data["features"]:
        return fmap, highest
    shade_units(fmap, data, "ideas", highest, "ideas-per-unit")
    fmap.fit_bounds(bounds)
    return fmap, highest
