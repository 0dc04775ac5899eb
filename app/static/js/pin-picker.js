// Place a draggable pin on a folium map and write its coordinates into form inputs.
//
// Markup (see app/templates/_macros/maps.html, pin_picker):
//   <div data-pin-picker data-lat-input="#lat" data-lon-input="#lon"
//        data-placed-text="Pin placed at %s" data-located-error="…">
//     … folium map (.folium-map) …
//     <button type="button" data-pin-locate>Use my location</button>
//     <p data-pin-status aria-live="polite"></p>
//   </div>
// The inputs stay ordinary form fields, so the form also works without this script and
// keeps the pin when the server sends the form back with errors.

function leafletMapOf(container) {
  const element = container.querySelector(".folium-map");
  return element ? window[element.id] : null;
}

function setup(container) {
  const map = leafletMapOf(container);
  if (!map) return;
  const latInput = document.querySelector(container.dataset.latInput);
  const lonInput = document.querySelector(container.dataset.lonInput);
  const status = container.querySelector("[data-pin-status]");
  let marker = null;

  const announce = (lat, lon) => {
    if (status) {
      const template = container.dataset.placedText || "%s";
      status.textContent = template.replace("%s", `${lat.toFixed(5)}, ${lon.toFixed(5)}`);
    }
  };

  const place = (latlng, { pan = false } = {}) => {
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, keyboard: true, title: container.dataset.markerTitle || "" });
      marker.addTo(map);
      marker.on("dragend", () => place(marker.getLatLng()));
    } else {
      marker.setLatLng(latlng);
    }
    latInput.value = latlng.lat.toFixed(6);
    lonInput.value = latlng.lng.toFixed(6);
    latInput.dispatchEvent(new Event("change", { bubbles: true }));
    announce(latlng.lat, latlng.lng);
    if (pan) map.setView(latlng, Math.max(map.getZoom(), 15));
  };

  const lat = parseFloat(latInput.value);
  const lon = parseFloat(lonInput.value);
  if (Number.isFinite(lat) && Number.isFinite(lon)) {
    place(L.latLng(lat, lon), { pan: true });
  }

  map.on("click", (event) => place(event.latlng));

  const locate = container.querySelector("[data-pin-locate]");
  if (locate) {
    if (!("geolocation" in navigator)) {
      locate.hidden = true;
    }
    locate.addEventListener("click", () => {
      navigator.geolocation.getCurrentPosition(
        (position) => place(L.latLng(position.coords.latitude, position.coords.longitude), { pan: true }),
        () => {
          if (status) status.textContent = container.dataset.locatedError || "";
        },
        { enableHighAccuracy: true, timeout: 10000 },
      );
    });
  }
}

document.querySelectorAll("[data-pin-picker]").forEach(setup);
