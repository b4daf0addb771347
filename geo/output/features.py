"""Sites to RFC 7946 GeoJSON features (WGS-84, [lon, lat], coordinates rounded to ~0.1 m)."""

from __future__ import annotations

from typing import Any

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.model import Basis, Site, basis_json

COORD_DECIMALS = 6


def _round(coords: Any) -> Any:
    if isinstance(coords, (int, float)):
        return round(float(coords), COORD_DECIMALS)
    return [_round(c) for c in coords]


def geometry_json(geom: BaseGeometry) -> dict[str, Any]:
    from shapely.geometry.polygon import orient

    if geom.geom_type == "Polygon":
        geom = orient(geom, 1.0)  # RFC 7946: exterior rings counter-clockwise
    elif geom.geom_type == "MultiPolygon":
        from shapely.geometry import MultiPolygon

        geom = MultiPolygon([orient(p, 1.0) for p in geom.geoms])
    g = mapping(geom)
    return {"type": g["type"], "coordinates": _round(g["coordinates"])}


def site_feature(site: Site, geometry: BaseGeometry, precision: str, uncertainty_m: float,
                 location_source: str, years: dict[str, int | None],
                 county_source: str = "", about: dict[str, dict[str, str]] | None = None,
                 location_basis: tuple[Basis, ...] = ()) -> dict[str, Any]:
    """``county_source``: how the county of the site's reports was decided (named in text,
    townships, title, file name, folder, url, manifest, chosen by hand, --county). ``about``: each
    report's title, issuer and date where known (by file name), added to its source entries.
    ``location_basis``: the location's source as data (``Location.basis``), which the app says in
    its language; ``location_source`` says it in English."""
    about = about or {}
    doc_years = sorted({y for s in site.sources if (y := years.get(s.doc)) is not None})
    props: dict[str, Any] = {
        "id": site.id,
        "name": site.name,
        "category": site.layer,
        "kind": site.kind,
        "county": site.county.key,
        "county_source": county_source,
        "status": site.status,
        "precision": precision,
        "uncertainty_m": round(float(uncertainty_m)),
        "location_source": location_source,
        "location_basis": basis_json(location_basis),
        "year": doc_years[-1] if doc_years else None,
        "sources": [
            {"doc": s.doc, "quote": s.quote, "start": s.start, "end": s.end,
             "surface": s.surface, "status": s.status, **about.get(s.doc, {})}
            for s in site.sources
        ],
    }
    return {"type": "Feature", "id": site.id, "geometry": geometry_json(geometry), "properties": props}
