"""Flags of a shown site (the last item of its record on the map): tags in its popup and table."""

from __future__ import annotations

# Record flags (the last item of a site record): tags shown in its popup.
FLAG_UPLOADED = 1
FLAG_PLACED = 2  # placed by hand since the layers were built
FLAG_UNPLACED = 8  # a hand placement was undone since the layers were built
