"""folium map builders: functions that take data and return a folium.Map (no DB access)."""
