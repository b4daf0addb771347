"""Reports' results to located features: the one place where sites are merged and placed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geo.locate.resolver import Resolver
    from geo.model import DocumentResult


def located_features(results: Iterable[DocumentResult], resolver: Resolver) -> list[dict[str, Any]]:
    """Merge the reports' mentions into sites and place each one: the features the layers hold.

    Raises GeoError when the resolver's own data (placements, gazetteer) cannot be used.
    """
    from geo.extract.sites import merge
    from geo.output.features import site_feature

    results = list(results)
    years = {r.name: r.year for r in results}
    how = {r.name: r.county_source for r in results}  # how each report's county was decided
    about = {r.name: r.about() for r in results}  # each report's title, issuer and date
    features = []
    for site in merge([m for r in results for m in r.mentions]):
        loc = resolver.locate(site)
        county_source = ", ".join(sorted({how[s.doc] for s in site.sources if how.get(s.doc)}))
        features.append(site_feature(site, loc.geometry, loc.precision, loc.uncertainty_m, loc.source, years,
                                     county_source, about, loc.basis))
    return features


