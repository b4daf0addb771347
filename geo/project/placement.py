"""Placing a site by hand: writes the overrides file (:mod:`geo.locate.overrides`) the resolver reads.

Every change replaces ``data/overrides.geojson`` atomically (a temporary sibling renamed into
place), so a reader sees the old version or the new one, never a mix, and only a file the strict
reader accepts is ever written. Nothing is lost:

* **History.** The first change copies the file whole to
  ``data/overrides.history/overrides-<UTC timestamp>-<n>.geojson``; each change then appends one
  line to ``overrides.changes.jsonl`` there: the old features it keeps (by ranges), the new ones,
  and digests of the file before and after (``n`` numbers copies and lines together, so it orders
  them even if the clock goes back). A file changed by hand since gets a whole copy again. The
  history grows with the changes, not with the changes times the file's size; nothing in it is
  changed or removed, and :func:`history_versions` gives every version back.
* **Undo.** A placement that replaces an earlier one of the same site carries it in its
  ``replaces`` property (the earlier feature as it was, with its own ``replaces``), so
  :func:`undo` can bring it back without consulting the history.

Writers take an advisory lock on the history folder (not on the overrides file's own folder,
which :mod:`geo.atomic` locks while it writes), so two placements at once queue up rather than
lose one of them.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.atomic import directory_lock, fsync_dir
from geo.errors import GeoError, printable
from geo.locate.overrides import GEOMETRY_TYPES, Override, OverridesError, load_overrides
from geo.model import County
from geo.names import compact
from geo.outcome import Outcome

if TYPE_CHECKING:
    from geo.project.project import Project

#: How a site id looks (:attr:`geo.extract.sites.Site.id`).
SITE_ID = re.compile(r"^(renewal|parks|roads|scenic)-[0-9a-f]{12}$")
#: Earlier placements carried in ``replaces``; older ones remain in the history snapshots.
MAX_REPLACES_DEPTH = 32
_SNAPSHOT_TMP = ".snapshot-"
_SNAPSHOT = re.compile(r"^(?P<stem>.+)-(?P<ts>\d{8}T\d{6}\.\d{6}Z)-(?P<n>\d+)\.geojson$")


class PlacementError(GeoError):
    """A placement was refused: it names the site and the reason."""


# ------------------------------------------------------------------ reading


def history_dir(path: Path) -> Path:
    """Where earlier versions of the overrides file ``path`` are kept."""
    path = Path(path)
    return path.with_name(f"{path.stem}.history")


def history_files(path: Path) -> list[Path]:
    """Snapshots of earlier versions of ``path``, oldest first."""
    folder = history_dir(path)
    if not folder.is_dir():
        return []
    found = [(int(m["n"]), p) for p in folder.iterdir() if (m := _SNAPSHOT.match(p.name))]
    return [p for _, p in sorted(found)]


def placements(project: Project) -> list[Override]:
    """The project's placements, in file order; raises OverridesError if the file is unreadable."""
    return list(load_overrides(project.overrides))


# ------------------------------------------------------------------ writing


def place(
    project: Project,
    *,
    site_id: str | None,
    name: str | None,
    county: str,
    geometry: BaseGeometry,
    note: str,
    who: str,
    when: datetime | str | None = None,
) -> Override:
    """Place a site of ``project`` by hand (replacing its earlier placement, which stays undoable);
    returns it.

    The site is named by ``site_id`` and/or ``name``; ``county`` (official or short name) is
    required because the geometry (WGS-84 lon/lat Point, LineString or Polygon) must lie in it.
    ``note`` says where the knowledge comes from (a URL, "walked there"), ``who`` who placed it.
    Raises PlacementError for a refused placement, OverridesError if the current file is unreadable.
    """
    from geo.output.features import geometry_json

    where = _county_given(county, site_id or name or "?")
    county_name = where.name  # the placements file names a county by its official name
    name = compact(name) if name and name.strip() else None
    site_id = site_id.strip() if site_id and site_id.strip() else None
    if site_id is None and name is None:
        raise PlacementError("no site given: give its site id or its name")
    label = f"{name or site_id} ({site_id or county_name})" if name else str(site_id)
    if site_id is not None:
        _check_site_id(site_id, name, where)
    note, who = (note or "").strip(), (who or "").strip()
    if not note:
        raise PlacementError(f"{label}: a note is required: say where the location comes from (a URL or how "
                             "it is known)")
    if not who:
        raise PlacementError(f"{label}: say who places it")
    _check_geometry(geometry, where, label)
    stamp = _when(when, label)

    props: dict[str, Any] = {}
    if site_id is not None:
        props["site_id"] = site_id
    if name is not None:
        props["name"] = name
    props.update(county=county_name, note=note, who=who, when=stamp)
    feature: dict[str, Any] = {"type": "Feature", "geometry": geometry_json(geometry), "properties": props}

    path = project.overrides
    with _placement_lock(path):
        doc, raw, current = _read(path)
        matched = [i for i, o in enumerate(current) if _same_site(o, site_id, name, county_name)]
        if matched:  # placements are appended, so the last one in the file is the latest
            props["replaces"] = _trimmed(raw[matched[-1]], MAX_REPLACES_DEPTH)
        spec: list[int | dict[str, Any]] = [i for i in range(len(raw)) if i not in set(matched)]
        placed = _commit(path, doc, raw, [*spec, feature], label)
    return placed[-1]


def undo(
    project: Project,
    *,
    site_id: str | None = None,
    name: str | None = None,
    county: str | None = None,
) -> bool:
    """Remove the latest placement of a site of ``project``, bringing back the one it replaced if any.

    The site is named by ``site_id``, or by ``name`` (with ``county`` when the name is placed in
    more than one county). Returns False when the site has no placement; the file is then untouched.
    """
    path = project.overrides
    name = compact(name) if name and name.strip() else None
    county_name = _county_given(county, site_id or name or "?").name if county else None
    if not site_id and not name:
        raise PlacementError("no site given: give its site id or its name")
    if not path.exists():
        return False
    with _placement_lock(path):
        doc, raw, current = _read(path)
        matched = [i for i, o in enumerate(current) if _same_site(o, site_id, name, county_name)]
        if not matched:
            return False
        counties = {current[i].county for i in matched}
        if site_id is None and len(counties) > 1:
            found = ", ".join(sorted(c or "?" for c in counties))
            raise PlacementError(f"{name} is placed in more than one county ({found}): give the county")
        latest = matched[-1]  # placements are appended, so the last one in the file is the latest
        previous = raw[latest].get("properties", {}).get("replaces")
        back: list[int | dict[str, Any]] = [previous] if isinstance(previous, dict) else []
        spec = [*range(latest), *back, *range(latest + 1, len(raw))]
        _commit(path, doc, raw, spec, current[latest].label())
    return True


# ------------------------------------------------------------------ internals




def _county_given(county: str | None, label: str) -> County:
    from geo.locate import admin

    if not county or not county.strip():
        raise PlacementError(f"{label}: the county is required (official or short name, e.g. 德清县)")
    try:
        return admin.county(county.strip())
    except GeoError as error:
        raise PlacementError(f"{label}: {error}") from None


def _check_site_id(site_id: str, name: str | None, county: County) -> None:
    """A site id must look like one and, when the name is given too, be that site's id."""
    m = SITE_ID.match(site_id)
    if m is None:
        raise PlacementError(f"{site_id!r} is not a site id (like parks-0123456789ab)")
    if name is not None:
        layer = m.group(1)
        digest = hashlib.sha1(f"{county.key}|{layer}|{name}".encode()).hexdigest()[:12]  # as Site.id
        if site_id != f"{layer}-{digest}":
            raise PlacementError(f"{site_id} is not the id of {name} in {county.key}")


def _check_geometry(geometry: BaseGeometry, county: County, label: str) -> None:
    import shapely

    from geo.locate import admin
    from geo.locate.resolver import COUNTY_BUFFER_DEG

    if not isinstance(geometry, BaseGeometry):
        kind = type(geometry).__name__
        raise PlacementError(f"{label}: the geometry must be a shapely geometry, got {kind}")
    if geometry.geom_type not in GEOMETRY_TYPES:
        allowed = ", ".join(GEOMETRY_TYPES)
        raise PlacementError(f"{label}: geometry type {geometry.geom_type} not one of {allowed}")
    if geometry.is_empty:
        raise PlacementError(f"{label}: empty geometry")
    if not bool(shapely.is_valid(geometry)):
        raise PlacementError(f"{label}: invalid {geometry.geom_type} ({shapely.is_valid_reason(geometry)})")
    try:
        area = admin.county_polygon(county).buffer(COUNTY_BUFFER_DEG)
    except GeoError as error:
        raise PlacementError(f"{label}: {error}") from None
    if not area.covers(geometry):
        p = geometry if isinstance(geometry, Point) else geometry.representative_point()
        raise PlacementError(
            f"{label}: ({p.x:.5f}, {p.y:.5f}) lies outside {county.key}; a site is placed inside its own "
            "county (coordinates are longitude, latitude in WGS-84)"
        ).with_code("outside_county", site=label, lon=f"{p.x:.5f}", lat=f"{p.y:.5f}", county=county.key)


def _when(when: datetime | str | None, label: str) -> str:
    if when is None:
        return datetime.now(UTC).isoformat(timespec="seconds")
    if isinstance(when, datetime):
        return when.isoformat(timespec="seconds")
    try:
        datetime.fromisoformat(when)
    except ValueError:
        raise PlacementError(f"{label}: when is not an ISO 8601 timestamp: {when!r}") from None
    return when


def _same_site(o: Override, site_id: str | None, name: str | None, county: str | None) -> bool:
    if site_id is not None and o.site_id == site_id:
        return True
    return name is not None and o.name == name and (county is None or o.county == county)


def _trimmed(feature: dict[str, Any], depth: int) -> dict[str, Any]:
    """``feature`` with its chain of ``replaces`` cut after ``depth`` links."""
    props = feature.get("properties")
    if not isinstance(props, dict) or not isinstance(props.get("replaces"), dict):
        return feature
    props = dict(props)
    if depth <= 1:
        del props["replaces"]
    else:
        props["replaces"] = _trimmed(props["replaces"], depth - 1)
    return {**feature, "properties": props}


def _read(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]], list[Override]]:
    """The file as JSON, its features, and the same features as the strict reader parses them."""
    current = list(load_overrides(path))  # refuses a file that cannot be used, naming the fault
    if not path.exists():
        return {"type": "FeatureCollection", "features": []}, [], []
    doc = json.loads(path.read_text(encoding="utf-8-sig"))
    raw = list(doc["features"])
    if len(raw) != len(current):  # the file changed between the two reads: not under our lock
        raise OverridesError(path, "changed while being read; try again")
    return doc, raw, current


@contextlib.contextmanager
def _placement_lock(path: Path) -> Iterator[None]:
    """One writer of ``path`` at a time; leftovers of a killed writer are removed once it is held."""
    folder = history_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    with directory_lock(folder):
        _remove_stray_temporaries(path)
        yield


def _serialise(doc: dict[str, Any], features: list[dict[str, Any]]) -> bytes:
    return (json.dumps({**doc, "features": features}, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _commit(path: Path, doc: dict[str, Any], raw: list[dict[str, Any]], spec: list[int | dict[str, Any]],
            label: str) -> list[Override]:
    """Record the change in the history, then replace the file; returns the new placements.

    ``spec`` lists the new features: an int is the old feature at that index, a dict a new one.
    The history keeps the version it starts from whole, then one journal line per change (the
    old features kept, by ranges, and the new ones), so it grows with the changes, not with
    the changes times the file's size.
    """
    from geo.atomic import write_bytes_atomic

    features = [raw[x] if isinstance(x, int) else x for x in spec]
    data = _serialise(doc, features)
    placed = _check_readable(data, label)
    old = path.read_bytes() if path.exists() else None
    if old is not None:
        _journal(path, old, data, _ops(spec))
    write_bytes_atomic(path, data)
    return placed


def _ops(spec: list[int | dict[str, Any]]) -> list[list[Any]]:
    """``spec`` as ``["keep", a, b]`` (old features a..b-1) and ``["add", feature]`` steps."""
    ops: list[list[Any]] = []
    for x in spec:
        if isinstance(x, int) and ops and ops[-1][0] == "keep" and ops[-1][2] == x:
            ops[-1][2] = x + 1
        elif isinstance(x, int):
            ops.append(["keep", x, x + 1])
        else:
            ops.append(["add", x])
    return ops


def journal_path(path: Path) -> Path:
    """The history's journal of changes (one JSON line per change) for the overrides file ``path``."""
    path = Path(path)
    return history_dir(path) / f"{path.stem}.changes.jsonl"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _journal_lines(path: Path) -> list[dict[str, Any]]:
    """The journal's whole lines (a line cut short by a killed writer is skipped)."""
    journal = journal_path(path)
    if not journal.exists():
        return []
    out = []
    for line in journal.read_bytes().split(b"\n"):
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(entry, dict) and isinstance(entry.get("n"), int):
            out.append(entry)
    return out


def _last_journal_entry(path: Path) -> tuple[dict[str, Any] | None, bool]:
    """(the journal's last whole line, whether the file ends with a newline), reading only its tail."""
    journal = journal_path(path)
    try:
        with journal.open("rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - (4 << 20)))
            tail = fh.read()
    except FileNotFoundError:
        return None, True
    for line in reversed(tail.split(b"\n")):
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(entry, dict) and isinstance(entry.get("n"), int):
            return entry, tail.endswith(b"\n")
    return None, tail.endswith(b"\n") or not tail


def _journal(path: Path, old: bytes, new: bytes, ops: list[list[Any]]) -> None:
    """Append the change ``old`` → ``new`` to the journal (flushed), after a whole copy of ``old``
    when the journal does not end at it (the first change, a hand edit, a killed write)."""
    last, ends_clean = _last_journal_entry(path)
    snapshots = history_files(path)
    n_snap = int(m["n"]) if snapshots and (m := _SNAPSHOT.match(snapshots[-1].name)) else 0
    n = max(n_snap, last["n"] if last else 0)
    if last is None or last.get("to") != _digest(old) or n_snap > last["n"]:
        n += 1
        _snapshot(path, n)
    entry = {"n": n + 1, "when": datetime.now(UTC).isoformat(), "from": _digest(old), "to": _digest(new),
             "ops": ops}
    line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
    with journal_path(path).open("ab") as fh:
        fh.write(line if ends_clean else b"\n" + line)
        fh.flush()
        os.fsync(fh.fileno())


def history_versions(path: Path) -> list[bytes]:
    """Every version of ``path`` the history holds, oldest first (the current one last, when the
    last change was recorded): the whole copies, and each journaled change replayed on them."""
    path = Path(path)
    items: list[tuple[int, int, Any]] = [
        (int(m["n"]), 0, p) for p in history_files(path) if (m := _SNAPSHOT.match(p.name))
    ]
    items += [(e["n"], 1, e) for e in _journal_lines(path)]
    versions: list[bytes] = []
    doc: dict[str, Any] | None = None
    features: list[dict[str, Any]] = []
    current = b""
    for _, kind, item in sorted(items, key=lambda x: (x[0], x[1])):
        if kind == 0:
            current = item.read_bytes()
            doc = json.loads(current.decode("utf-8-sig"))
            features = list(doc["features"])
            versions.append(current)
            continue
        if doc is None or item.get("from") != _digest(current):
            continue  # a change that never reached the file (its writer was killed)
        new: list[dict[str, Any]] = []
        for op in item.get("ops", []):
            new.extend(features[op[1]:op[2]] if op[0] == "keep" else [op[1]])
        data = _serialise(doc, new)
        if _digest(data) != item.get("to"):
            continue
        features, current = new, data
        versions.append(data)
    return versions


def _check_readable(data: bytes, label: str) -> list[Override]:
    """What the strict reader makes of ``data``: a file it would refuse is never written."""
    with tempfile.TemporaryDirectory(prefix="overrides-check-") as tmp:
        probe = Path(tmp) / "overrides.geojson"
        probe.write_bytes(data)
        try:
            return list(load_overrides(probe))
        except OverridesError as error:
            raise PlacementError(f"{label}: the placement would make the overrides file unreadable: "
                                 f"{error.reason}") from None


def _snapshot(path: Path, n: int) -> Path:
    """Copy ``path`` into the history as version ``n``: a hidden temporary, flushed, then linked
    under a new name.

    Written here rather than with :mod:`geo.atomic`, which would wait for the lock this module holds
    on the history folder.
    """
    folder = history_dir(path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    target = folder / f"{path.stem}-{stamp}-{n}.geojson"
    fd, name = tempfile.mkstemp(prefix=f"{_SNAPSHOT_TMP}{path.stem}-", suffix=".tmp", dir=folder)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(path.read_bytes())
            fh.flush()
            os.fchmod(fh.fileno(), 0o644)
            os.fsync(fh.fileno())
        os.link(tmp, target)  # never replaces a snapshot
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(folder)
    return target


def _remove_stray_temporaries(path: Path) -> None:
    """Hidden temporaries of a writer that was killed part-way (never read); the caller holds the lock."""
    strays = [*path.parent.glob(f".{path.name}.*"), *history_dir(path).glob(f"{_SNAPSHOT_TMP}*")]
    for stray in strays:
        if stray.is_file():
            stray.unlink(missing_ok=True)




# ------------------------------------------------------------------ command line


def run_place(
    project: Project,
    site: str | None,
    *,
    lon: float | None,
    lat: float | None,
    note: str | None,
    who: str | None,
    county: str | None,
    undo_latest: bool,
    list_only: bool,
) -> Outcome:
    """``python -m geo place`` on ``project`` (its placements; site names looked up in its layers):
    FAILED when refused (the reason on stderr)."""
    try:
        if list_only:
            if site is not None or undo_latest:
                raise PlacementError("--list takes no site and no --undo")
            _print_placements(project)
        elif site is None or not site.strip():
            raise PlacementError("give the site (its id, e.g. parks-0123456789ab, or its name), or --list")
        elif undo_latest:
            _undo_command(project, site.strip(), county)
        else:
            _place_command(project, site.strip(), lon, lat, note, who, county)
    except GeoError as error:
        print(f"error: {printable(error)}", file=sys.stderr)
        return Outcome.FAILED
    return Outcome.DONE


def default_who() -> str | None:
    """The login user name, or None when the system cannot tell it."""
    try:
        return getpass.getuser() or None
    except (OSError, KeyError):
        return None


def _place_command(project: Project, site: str, lon: float | None, lat: float | None, note: str | None,
                   who: str | None, county: str | None) -> None:
    missing = [flag for flag, value in (("--lon", lon), ("--lat", lat), ("--note", note)) if value is None]
    if missing:
        raise PlacementError(f"{site}: give {', '.join(missing)} (or --undo)")
    assert lon is not None and lat is not None and note is not None
    who = who if who is not None else default_who()
    if not who:
        raise PlacementError(f"{site}: the login user name is unknown: give --who")
    site_id, name, county_name = find_site(site, project.layers, county)
    place(project, site_id=site_id, name=name, county=county_name, geometry=Point(lon, lat), note=note,
          who=who)
    print(printable(f"placed {name or site_id} ({site_id or 'by name'}, {county_name}) at {lon:.6f}, "
                    f"{lat:.6f} in {project.overrides}; the next build uses it"))


def _undo_command(project: Project, site: str, county: str | None) -> None:
    by_id = SITE_ID.match(site) is not None
    done = undo(project, site_id=site if by_id else None, name=None if by_id else site, county=county)
    path = project.overrides
    if not done:
        where = f" in {county}" if county else ""
        raise PlacementError(f"{site}: no placement{where} to undo in {path}")
    print(printable(f"undid the latest placement of {site} in {path}; the next build uses the change"))


def _print_placements(project: Project) -> None:
    found = placements(project)
    if not found:
        print(f"no placements in {project.overrides}")
        return
    for o in found:
        p = o.geometry if isinstance(o.geometry, Point) else o.geometry.representative_point()
        cells = [o.site_id or "-", o.name or "-", o.county or "-",
                 f"{o.geometry.geom_type} {p.x:.6f},{p.y:.6f}", o.who, o.when, o.note]
        print("\t".join(printable(c) for c in cells))  # a note is outside text: no terminal escapes


def find_site(site: str, layers: Path, county: str | None) -> tuple[str | None, str | None, str]:
    """(site id, name, county as the layers name it: :attr:`County.key`) of ``site`` (an id or a
    name) from the built layers.

    An id not in the layers may still be placed with ``county``; a name must be found, and a name
    found more than once needs ``county`` (or the id) to say which.
    """
    county_name = _county_given(county, site).key if county else None
    by_id = SITE_ID.match(site) is not None
    features = _layer_sites(layers)
    if by_id:
        hits = [f for f in features if f["id"] == site]
        if hits:
            found = hits[0]
            if county_name is not None and found["county"] != county_name:
                raise PlacementError(f"{site} is {found['name']} in {found['county']}, not in {county_name}")
            return site, found["name"], found["county"]
        if county_name is None:
            raise PlacementError(f"{site} is not in the built layers ({layers}/): give --county to place it")
        return site, None, county_name
    name = compact(site)
    hits = [f for f in features if compact(f["name"]) == name]
    if county_name is not None:
        hits = [f for f in hits if f["county"] == county_name]
    if not hits:
        where = f" in {county_name}" if county_name else ""
        similar = sorted({f["name"] for f in features if name in f["name"] or f["name"] in name})[:5]
        hint = f" (similar: {', '.join(similar)})" if similar else ""
        if not features:
            hint = f"; no built layers in {layers}/: run python -m geo build first, or give the site id"
        raise PlacementError(f"no site named {site}{where} in the built layers ({layers}/){hint}")
    if len(hits) > 1:
        listed = "; ".join(f"{f['id']} {f['name']} ({f['county']}, {f['category']})" for f in hits)
        need = "the site id" if county_name else "--county or the site id"
        raise PlacementError(f"{site} names {len(hits)} sites: {listed}; give {need}")
    return hits[0]["id"], hits[0]["name"], hits[0]["county"]


def _layer_sites(layers: Path) -> list[dict[str, Any]]:
    """id, name, county and category of every site in the built layers (missing layers skipped)."""
    from geo.output.layers import LAYERS

    out: list[dict[str, Any]] = []
    for layer in LAYERS:
        file = Path(layers) / f"{layer}.geojson"
        if not file.is_file():
            continue
        try:
            fc = json.loads(file.read_text(encoding="utf-8"))
            for f in fc["features"]:
                p = f["properties"]
                out.append({key: p[key] for key in ("id", "name", "county", "category")})
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise PlacementError(f"{file}: cannot read the layer ({error})") from None
    return out
