"""Stage 5, what the map shows: located sites to GeoJSON features (``assemble``, ``features``),
written as the four layers (``layers``), checked against RFC 7946, credited (``attribution``)."""
