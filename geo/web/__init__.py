"""The map app's side: everything ``streamlit_app.py`` lays out and calls.

Everything here only reads ``layers/*.geojson`` (and writes through ``geo.project.upload`` and
``geo.project.placement``); nothing extracts or locates sites. One job per module:

- reading and showing: ``layers_io`` (layer files, sites table), ``view`` (layers + uploads +
  pending placements), ``search``, ``choices`` (what filters and links offer), ``drawn`` (what the
  map draws), ``centring`` (where the map looks, clicks), ``mapview`` + ``sitemap.js`` (the Leaflet
  map and its feature groups), ``styles``, ``legend``, ``display`` (coordinates as drawn), ``flags``,
  ``popup``, ``tables``, ``precision``, ``i18n`` (every string, both languages), ``notices``;
- writing: ``uploads`` (reading and saving reports), ``placing`` (placing by hand), ``pending``
  (reports waiting for a county), ``online`` (geocoding with a key), ``project`` (paths, rebuild);
- files out: ``export``, ``downloads``; the address: ``urlstate``; access: ``access``;
- Streamlit: ``cache`` (``st.cache_data``), ``state`` (session state and callbacks), ``assets``,
  and ``panels/`` (one module per part of the page).
"""
