"""Where a site is: the resolver chain that gives every site a geometry it can stand behind."""

from __future__ import annotations

from geo.county_location import Location, county_location
from geo.sites import Site


def locate_site(site: Site) -> Location:
    """The best location the embedded data supports; the county when nothing finer is known."""
    return county_location(site.county)
