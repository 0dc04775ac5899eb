// The map of ideas: fetch /api/v1/ideas.geojson for the visible bbox on every move.
//
// Markup (app/templates/ideas/index.html): a [data-ideas-map] section holding the folium
// map, with the API URL, the active filters (JSON) and localized texts in data- attributes.
// At low zoom the server sends clusters computed in PostGIS; at street zoom it sends ideas,
// which Leaflet.markercluster groups on the page. The view (lat, lon, z) is kept in the URL.

const DEBOUNCE_MS = 250;

const MERCATOR_MAX_LAT = 85.0511287798;
// The same slack as the server (app.ideas.queries.snap_bbox), in tiles.
const SNAP_SLACK = 1e-3;

const tileX = (lon, n) => ((lon + 180) / 360) * n;
const tileY = (lat, n) => {
  const clamped = Math.max(-MERCATOR_MAX_LAT, Math.min(MERCATOR_MAX_LAT, lat));
  const rad = (clamped * Math.PI) / 180;
  return ((1 - Math.asinh(Math.tan(rad)) / Math.PI) / 2) * n;
};
const tileLat = (y, n) => {
  if (y <= 0) return 90;
  if (y >= n) return -90;
  return (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
};

// The view grown to whole map tiles of its zoom, as the server does it: visitors looking at
// nearly the same place ask for the same box, so the server's cache and the browser's
// ETag answer them all.
function snappedBbox(bounds, zoom) {
  const n = 2 ** zoom;
  const west = Math.max(-180, bounds.getWest());
  const east = Math.min(180, bounds.getEast());
  let x0 = Math.max(0, Math.floor(tileX(west, n) + SNAP_SLACK));
  let x1 = Math.min(n, Math.max(x0 + 1, Math.ceil(tileX(east, n) - SNAP_SLACK)));
  if (!(west < east)) {
    x0 = 0;
    x1 = n;
  }
  const y0 = Math.max(0, Math.floor(tileY(bounds.getNorth(), n) + SNAP_SLACK));
  const y1 = Math.min(n, Math.max(y0 + 1, Math.ceil(tileY(bounds.getSouth(), n) - SNAP_SLACK)));
  return [(x0 / n) * 360 - 180, tileLat(y1, n), (x1 / n) * 360 - 180, tileLat(y0, n)]
    .map((v) => v.toFixed(7))
    .join(",");
}

// "%s" or "%1", "%2"… in a localized text, replaced in one pass (a title may hold "%2").
function fill(template, ...values) {
  return (template || "").replace(/%([s1-9])/g, (_match, key) =>
    String(key === "s" ? values[0] : values[Number(key) - 1]),
  );
}

function hiddenText(text) {
  const span = document.createElement("span");
  span.className = "visually-hidden";
  span.textContent = text;
  return span;
}

function clusterIcon(count, name) {
  const size = count < 10 ? 34 : count < 100 ? 40 : count < 1000 ? 46 : 52;
  const wrapper = document.createElement("div");
  const number = document.createElement("span");
  number.setAttribute("aria-hidden", "true");
  number.textContent = count >= 10000 ? `${Math.round(count / 1000)}k` : String(count);
  wrapper.append(number, hiddenText(name));
  return L.divIcon({
    className: "idea-cluster",
    html: wrapper.innerHTML,
    iconSize: [size, size],
  });
}

// The territorial units as thin outlines under the markers, for orientation when map tiles
// are plain. Fetched once (the API answer is cached by the browser), never embedded.
async function drawUnitOutlines(map, url) {
  if (!url) return;
  try {
    const response = await fetch(url, { headers: { Accept: "application/geo+json" } });
    if (!response.ok) return;
    const units = await response.json();
    const outlines = L.geoJSON(units, {
      interactive: false,
      style: { color: "#1f4e79", weight: 1.5, opacity: 0.7, fill: false },
    });
    outlines.addTo(map);
    outlines.bringToBack();
  } catch (error) {
    // Outlines are a help, not content: the ideas and the list work without them.
  }
}

function setup(section) {
  const frame = section.querySelector(".folium-map");
  const map = frame ? window[frame.id] : null;
  if (!map) return;
  const texts = section.dataset;
  const markers = window[texts.clusterLayer] || L.markerClusterGroup().addTo(map);
  const serverClusters = L.layerGroup().addTo(map);
  drawUnitOutlines(map, texts.unitsUrl);
  const status = section.querySelector("[data-map-status]");
  const apiArgs = JSON.parse(texts.apiArgs || "{}");
  const numbers = new Intl.NumberFormat(texts.lang);
  let controller = null;
  let timer = null;

  // Clusters made on the page (street zoom) get the same accessible name as the server's.
  markers.options.iconCreateFunction = (cluster) => {
    const count = cluster.getChildCount();
    return clusterIcon(count, fill(texts.clusterText, count));
  };

  const say = (text) => {
    if (status) status.textContent = text;
  };

  const popupFor = (properties) => {
    const box = document.createElement("div");
    box.className = "idea-popup";
    const title = document.createElement("p");
    title.className = "idea-popup__title";
    title.textContent = properties.title;
    const badge = document.createElement("span");
    badge.className = `status-badge status-${properties.status}`;
    badge.textContent = properties.status_label;
    const meta = document.createElement("p");
    meta.className = "idea-popup__meta";
    meta.append(badge, ` ${properties.category_name}`);
    const supporters = document.createElement("p");
    supporters.textContent = fill(texts.supportersText, properties.support_count);
    const link = document.createElement("a");
    link.href = properties.url;
    link.textContent = texts.openText;
    link.setAttribute("aria-label", `${texts.openText}: ${properties.title}`);
    box.append(title, meta, supporters, link);
    return box;
  };

  const ideaMarker = (feature) => {
    const [lon, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    const name = fill(texts.markerText, p.title, p.status_label);
    const dot = document.createElement("div");
    dot.append(hiddenText(name));
    const marker = L.marker([lat, lon], {
      icon: L.divIcon({
        className: `idea-marker status-${p.status}`,
        html: dot.innerHTML,
        iconSize: [22, 22],
        popupAnchor: [0, -8],
      }),
      title: name,
      keyboard: true,
    });
    marker.bindPopup(() => popupFor(p));
    return marker;
  };

  // Leaflet drops a new view asked for during a zoom animation (the map's own first fit,
  // say): a cluster tapped then opens once the animation has ended.
  let zooming = false;
  map.on("zoomanim", () => {
    zooming = true;
  });
  map.on("zoomend", () => {
    zooming = false;
  });
  const whenSettled = (change) => (zooming ? map.once("zoomend", change) : change());

  const serverCluster = (feature) => {
    const [lon, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    const name = fill(texts.clusterText, p.count);
    const marker = L.marker([lat, lon], {
      icon: clusterIcon(p.count, name),
      title: name,
      keyboard: true,
    });
    marker.on("click", () =>
      whenSettled(() => {
        const [west, south, east, north] = p.bounds;
        if (west < east || south < north) {
          map.fitBounds(
            [
              [south, west],
              [north, east],
            ],
            { padding: [24, 24] },
          );
        } else {
          map.setView([lat, lon], Math.min(map.getZoom() + 2, map.getMaxZoom()));
        }
      }),
    );
    return marker;
  };

  const draw = (collection) => {
    markers.clearLayers();
    serverClusters.clearLayers();
    const ideas = [];
    let total = 0;
    for (const feature of collection.features) {
      if (feature.properties.cluster) {
        serverClusters.addLayer(serverCluster(feature));
        total += feature.properties.count;
      } else {
        ideas.push(ideaMarker(feature));
        total += 1;
      }
    }
    markers.addLayers(ideas);
    say(total ? fill(texts.countText, numbers.format(total)) : texts.emptyText);
  };

  // The query of the answer on the map (or on its way): a move within the same tiles asks
  // for the same answer, so nothing is fetched or redrawn (a redraw would also replace
  // the marker a visitor is about to click).
  let shownQuery = null;

  const load = async () => {
    const zoom = Math.round(map.getZoom());
    const params = new URLSearchParams({
      ...apiArgs,
      bbox: snappedBbox(map.getBounds(), zoom),
      zoom: String(zoom),
      lang: texts.lang,
    });
    const query = params.toString();
    if (query === shownQuery) return;
    shownQuery = query;
    if (controller) controller.abort();
    controller = new AbortController();
    section.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(`${texts.apiUrl}?${params}`, {
        signal: controller.signal,
        headers: { Accept: "application/geo+json" },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      draw(await response.json());
      section.dataset.loaded = "true";
    } catch (error) {
      if (error.name !== "AbortError") {
        shownQuery = null; // the next move tries again
        say(texts.errorText);
      }
    } finally {
      section.removeAttribute("aria-busy");
    }
  };

  // The view goes into the filter form (kept when filters change) and, once the
  // visitor moves the map, into the address (a view that can be shared).
  const keepView = ({ inUrl }) => {
    const centre = map.getCenter();
    const view = {
      lat: centre.lat.toFixed(5),
      lon: centre.lng.toFixed(5),
      z: String(map.getZoom()),
    };
    const url = new URL(window.location.href);
    for (const [name, value] of Object.entries(view)) {
      url.searchParams.set(name, value);
      const input = document.getElementById(`view-${name}`);
      if (input) input.value = value;
    }
    if (inUrl) window.history.replaceState(window.history.state, "", url);
  };

  map.on("moveend", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      keepView({ inUrl: true });
      load();
    }, DEBOUNCE_MS);
  });
  keepView({ inUrl: false });
  load();
}

document.querySelectorAll("[data-ideas-map]").forEach(setup);
