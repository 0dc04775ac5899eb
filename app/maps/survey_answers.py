"""The map of a survey's map-point answers: grid clusters from PostGIS, with a heat layer."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # folium loads where a map is built, not with every web worker
    import folium

from app.maps.territories import base_map


def survey_answers_map(
    cells: list[dict],
    bounds: list[list[float]],
    tile_url: str,
    attribution: str,
    cluster_label: str,
    heat_label: str,
    answers_text: str,
    heat: bool = False,
) -> folium.Map:
    """Cells are {lat, lon, n}. The clusters are shown by default; the heat map is a layer
    that can be switched on (or shown first when `heat`)."""
    import folium
    from folium.plugins import HeatMap

    fmap = base_map(tile_url, attribution)
    clusters = folium.FeatureGroup(name=cluster_label, show=not heat)
    largest = max((c["n"] for c in cells), default=1)
    for cell in cells:
        folium.CircleMarker(
            location=[cell["lat"], cell["lon"]],
            radius=6 + 14 * (cell["n"] / largest) ** 0.5,
            color="#1f4e79",
            weight=2,
            fill=True,
            fill_color="#2b7bb9",
            fill_opacity=0.6,
            tooltip=answers_text.replace("%s", str(cell["n"])),
        ).add_to(clusters)
    clusters.add_to(fmap)
    if cells:
        heat_layer = folium.FeatureGroup(name=heat_label, show=heat)
        HeatMap(
            [[c["lat"], c["lon"], c["n"] / largest] for c in cells], radius=25, min_opacity=0.3
        ).add_to(heat_layer)
        heat_layer.add_to(fmap)
        folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.fit_bounds(bounds)
    return fmap
