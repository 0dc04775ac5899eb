"""Choropleth of participation per territorial unit for the staff dashboard (no DB access).

Units are shaded by their contributions (ideas, supports, comments and survey responses)
with the feedback page's palette and classes; a unit not heard from keeps class 0 and says
so in its tooltip.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # folium loads where a map is built, not with every web worker
    import folium

from app.maps.feedback import shade_units
from app.maps.territories import base_map


def participation_choropleth(
    shapes_geojson: str,
    contributions: dict[int, int],
    labels: dict[int, str],
    bounds: list[list[float]],
    tile_url: str,
    attribution: str,
) -> tuple[folium.Map, int]:
    """Units shaded by their contributions; returns the map and the highest count.

    `contributions` and `labels` are keyed by territory id; a label is the tooltip text."""
    fmap = base_map(tile_url, attribution)
    data = json.loads(shapes_geojson)
    highest = max(contributions.values(), default=0)
    if not data["features"]:
        return fmap, highest
    for feature in data["features"]:
        unit_id = feature["properties"]["id"]
        feature["properties"] = {
            "id": unit_id,
            "contributions": contributions.get(unit_id, 0),
            "label": labels.get(unit_id, ""),
        }
    shade_units(fmap, data, "contributions", highest, "participation-per-unit")
    fmap.fit_bounds(bounds)
    return fmap, highest
