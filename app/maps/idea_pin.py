"""Maps of one idea's place: the pin picker of the submission form and the idea page map."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # folium loads where a map is built, not with every web worker
    import folium

from app.maps.territories import base_map

OUTLINE_STYLE = {"color": "#1f4e79", "weight": 2, "fillColor": "#9ecae1", "fillOpacity": 0.08}


def _outline_units(fmap: folium.Map, geojson: str) -> None:
    import folium

    data = json.loads(geojson)
    if data["features"]:
        # Outlines only: clicks pass through to the map, where the pin picker listens.
        folium.GeoJson(
            data, name="territories", style_function=lambda feature: OUTLINE_STYLE
        ).add_to(fmap)


def pin_picker_map(
    geojson: str, bounds: list[list[float]], tile_url: str, attribution: str
) -> folium.Map:
    """The municipality with its units outlined, for placing an idea's pin."""
    fmap = base_map(tile_url, attribution)
    _outline_units(fmap, geojson)
    if bounds:
        fmap.fit_bounds(bounds)
    return fmap


def idea_location_map(
    lat: float, lon: float, title: str, tile_url: str, attribution: str
) -> folium.Map:
    """A small map centred on the idea's pin."""
    import folium

    fmap = base_map(tile_url, attribution, centre=(lat, lon), zoom=16)
    folium.Marker([lat, lon], title=title, alt=title).add_to(fmap)
    return fmap
