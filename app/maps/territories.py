"""The map of a municipality's territorial units."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from markupsafe import escape

if TYPE_CHECKING:  # folium loads where a map is built, not with every web worker
    import folium

BALVU_CENTRE = (57.05, 27.42)


def base_map(tile_url: str, attribution: str, centre=BALVU_CENTRE, zoom: int = 9) -> folium.Map:
    """An empty map with our tile layer and no third-party assets."""
    import folium

    fmap = folium.Map(
        location=list(centre),
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
    )
    folium.TileLayer(tiles=tile_url, attr=attribution, name="base", max_zoom=18).add_to(fmap)
    return fmap


def territories_map(
    geojson: str,
    bounds: list[list[float]],
    tile_url: str,
    attribution: str,
    label_field: str = "label",
) -> folium.Map:
    """Units outlined and named (tooltip) and the view fitted to them."""
    import folium

    fmap = base_map(tile_url, attribution)
    data = json.loads(geojson)
    if not data["features"]:
        return fmap
    for feature in data["features"]:
        # folium's tooltip puts the value in innerHTML: a name is text, never markup.
        props = feature["properties"]
        props[label_field] = str(escape(props.get(label_field) or ""))
    layer = folium.GeoJson(
        data,
        name="territories",
        style_function=lambda feature: {
            "color": "#1f4e79",
            "weight": 2,
            "fillColor": "#9ecae1" if feature["properties"].get("kind") == "parish" else "#f4a261",
            "fillOpacity": 0.25,
        },
        highlight_function=lambda feature: {"weight": 4, "fillOpacity": 0.4},
        tooltip=folium.GeoJsonTooltip(fields=[label_field], labels=False, sticky=True),
    )
    layer.add_to(fmap)
    fmap.fit_bounds(bounds)
    return fmap
