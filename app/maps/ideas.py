"""The map of ideas: an empty map whose markers come from /api/v1/ideas.geojson."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # folium loads where a map is built, not with every web worker
    import folium

from app.maps.territories import base_map


def ideas_map(
    tile_url: str,
    attribution: str,
    bounds: list[list[float]],
    view: tuple[float, float, int] | None = None,
) -> tuple[folium.Map, str]:
    """A map showing `view` (lat, lon, zoom) or fitted to `bounds`, with an empty
    Leaflet.markercluster layer that static/js/ideas-map.js fills.

    Returns the map and the JavaScript name of the cluster layer.
    """
    from folium.map import FitBounds
    from folium.plugins import MarkerCluster

    if view is not None:
        lat, lon, zoom = view
        fmap = base_map(tile_url, attribution, centre=(lat, lon), zoom=zoom)
    else:
        fmap = base_map(tile_url, attribution)
        fit = FitBounds(bounds)
        # Shown at once, not animated: Leaflet would drop (or undo) a cluster tapped while
        # the first view is still zooming in.
        fit.options["animate"] = False
        fmap.add_child(fit)
    cluster = MarkerCluster(
        name="ideas",
        control=False,
        options={"showCoverageOnHover": False, "maxClusterRadius": 50, "chunkedLoading": True},
    )
    cluster.add_to(fmap)
    return fmap, cluster.get_name()
