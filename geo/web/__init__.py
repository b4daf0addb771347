"""The map app's display helpers: load built layers, build the map, popups, search and downloads.

Everything here only reads ``layers/*.geojson``; nothing extracts or locates sites.
"""
