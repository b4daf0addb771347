"""Write files so that a reader sees the old content or the new, never half of either.

One file is written to a temporary sibling, flushed to disk and renamed over the old one.

A set of files in one folder (the four layers) must change together: renaming them one by one
would leave old and new files side by side if the process died between two renames. So the
set is written into a fresh sibling folder that also gets hard links to every other file of
the folder, and that folder is swapped with the old one in a single step (``renameat2`` with
``RENAME_EXCHANGE`` on Linux, ``renamex_np`` with ``RENAME_SWAP`` on macOS). The public paths
stay plain files in a plain folder; only the folder's inode changes. Where no such swap exists
(another system, a folder that holds sub-folders), the files are renamed one by one, so each
file is whole but the set is not guaranteed to be. A folder that is a mount point (a container
volume) has no sibling on its own file system: its files are written as hidden temporaries inside
it and renamed one by one. A swapped folder keeps the old one's owner, group and mode.

A process killed mid-write leaves a hidden sibling, ``.<name>.tmp-*`` for a file or
``.<name>.new-*`` for a folder. Readers never look at them, and the next write in the same
folder removes them. Writers in one folder take turns through a lock on that folder, so a
sibling found while holding the lock belongs to a process that died.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import stat
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

__all__ = ["stray_siblings", "write_bytes_atomic", "write_many_atomic"]

_FILE_TMP = ".{name}.tmp-"
_FOLDER_TMP = ".{name}.new-"


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` in one step (mode 0666 less the umask for a new file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with directory_lock(path.parent, required=False):
        _sweep(path.parent, path.name)
        tmp = _unique(path.parent, _FILE_TMP.format(name=path.name))
        try:
            write_new_file(tmp, data)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        fsync_dir(path.parent)


def write_many_atomic(files: Mapping[Path, bytes]) -> None:
    """Write every file; files of one folder are replaced together (see the module's docstring).

    Nothing is replaced until every new file is complete, so a failure while writing leaves
    all the old files untouched; a crash at any point leaves the old set or the new one.
    """
    by_folder: dict[Path, dict[str, bytes]] = {}
    for path, data in files.items():
        by_folder.setdefault(Path(path).parent, {})[Path(path).name] = data
    if len(by_folder) == 1 and len(files) > 1:
        folder, named = next(iter(by_folder.items()))
        _write_folder(folder, named)
        return
    for path, data in files.items():  # different folders cannot be swapped as one
        write_bytes_atomic(Path(path), data)


def stray_siblings(folder: Path) -> list[Path]:
    """Leftovers of killed writes next to or inside ``folder`` (hidden; removed by the next write)."""
    folder = Path(folder)
    found = list(folder.parent.glob(_FOLDER_TMP.format(name=folder.name) + "*"))
    if folder.is_dir():
        found += [p for p in folder.glob(".*") if ".tmp-" in p.name or p.name.endswith(".tmp")]
    return sorted(found)


# --- a folder's files, swapped as one ------------------------------------------------------


def _write_folder(folder: Path, files: Mapping[str, bytes]) -> None:
    folder = folder.absolute()
    if folder.is_symlink():
        folder = folder.resolve()  # swap the folder a link points to, keep the link
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    if folder.is_dir() and _is_mount_point(folder):
        _write_in_place(folder, files)  # a volume: no sibling on its file system to swap with
        return
    with directory_lock(parent, required=False):
        _sweep(parent, folder.name)
        stage = _unique(parent, _FOLDER_TMP.format(name=folder.name))
        os.mkdir(stage)  # 0777 less the umask, like any new folder
        try:
            for name, data in files.items():
                write_new_file(stage / name, data)
            if not folder.exists():
                fsync_dir(stage)
                os.rename(stage, folder)
            elif not (_carry_over(folder, stage, set(files)) and _swap(stage, folder)):
                try:
                    _replace_each(stage, folder, files)
                except OSError as error:
                    if error.errno != errno.EXDEV:
                        raise
                    _write_in_place(folder, files)  # the folder lies on another file system
            else:
                _bring_back_late_entries(stage, folder, set(files))
            fsync_dir(parent)
        finally:
            shutil.rmtree(stage, ignore_errors=True)  # after a swap: the old files


def _carry_over(folder: Path, stage: Path, written: set[str]) -> bool:
    """Hard-link every other entry of ``folder`` into ``stage``; False if one cannot be carried."""
    try:
        st = folder.stat()
        if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
            os.chown(stage, st.st_uid, st.st_gid)  # else a rebuild would give the folder away
        os.chmod(stage, stat.S_IMODE(st.st_mode))
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name in written or _is_own_tmp(entry.name, written):
                    continue  # replaced, or left by a killed write: not carried
                if entry.is_symlink():
                    os.symlink(os.readlink(entry.path), stage / entry.name)
                elif entry.is_file(follow_symlinks=False):
                    os.link(entry.path, stage / entry.name, follow_symlinks=False)
                else:
                    return False  # a sub-folder cannot be carried over as a link
    except OSError:
        return False
    fsync_dir(stage)
    return True


def _bring_back_late_entries(old: Path, folder: Path, written: set[str]) -> None:
    """Entries another program added or replaced in the old folder after they were carried over."""
    with os.scandir(old) as entries:
        for entry in entries:
            if entry.name in written or _is_own_tmp(entry.name, written):
                continue
            target = folder / entry.name
            try:
                same = os.stat(target, follow_symlinks=False).st_ino == entry.inode()
            except FileNotFoundError:
                same = False
            if not same:
                with contextlib.suppress(OSError):
                    os.replace(entry.path, target)


def _is_mount_point(folder: Path) -> bool:
    """True for a folder on another file system than its parent (a volume, a bind mount)."""
    try:
        return os.path.ismount(folder) or folder.stat().st_dev != folder.parent.stat().st_dev
    except OSError:
        return False


def _write_in_place(folder: Path, files: Mapping[str, bytes]) -> None:
    """Each file written whole beside its old version, inside ``folder``, then renamed over it.

    Every new file is complete before the first rename, so a failure while writing (a full
    volume) replaces nothing; the set changes one file at a time.
    """
    with directory_lock(folder, required=False):
        for name in files:
            _sweep(folder, name)
        staged: dict[str, Path] = {}
        try:
            for name, data in files.items():
                staged[name] = _unique(folder, _FILE_TMP.format(name=name))
                write_new_file(staged[name], data)
            for name, tmp in staged.items():
                os.replace(tmp, folder / name)
            fsync_dir(folder)
        finally:
            for tmp in staged.values():
                tmp.unlink(missing_ok=True)


def _replace_each(stage: Path, folder: Path, files: Mapping[str, bytes]) -> None:
    """The fallback: each file whole, one rename at a time."""
    for name in files:
        os.replace(stage / name, folder / name)


# The two-folder swap, from the C library; None where the system has none.
_RENAME_EXCHANGE = 2  # Linux <linux/fs.h>
_RENAME_SWAP = 2  # macOS <stdio.h>
_AT_FDCWD = -100


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _swap(a: Path, b: Path) -> bool:
    """Exchange two folders in one step; False when the system or file system cannot."""
    libc = _libc()
    if libc is None:
        return False
    src, dst = os.fsencode(a), os.fsencode(b)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        rc = libc.renameat2(_AT_FDCWD, src, _AT_FDCWD, dst, ctypes.c_uint(_RENAME_EXCHANGE))
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        rc = libc.renamex_np(src, dst, ctypes.c_uint(_RENAME_SWAP))
    else:
        return False
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EXDEV, errno.EBUSY, errno.ENOTSUP, errno.EPERM):
        return False  # not supported here (old kernel, some file systems, a mount point)
    raise OSError(err, os.strerror(err), str(b))


# --- helpers ---------------------------------------------------------------------------------


def write_new_file(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist; 0666 less the umask), write ``data`` and flush it to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _unique(parent: Path, prefix: str) -> Path:
    while True:
        path = parent / f"{prefix}{os.urandom(4).hex()}"  # (the secrets module costs start-up)
        if not os.path.lexists(path):
            return path


def _is_own_tmp(name: str, written: set[str]) -> bool:
    """A temporary file a killed write of one of ``written`` left (``.x.tmp-*``; ``.x.*.tmp`` before)."""
    return any(
        name.startswith(_FILE_TMP.format(name=w)) or (name.startswith(f".{w}.") and name.endswith(".tmp"))
        for w in written
    )


def _sweep(parent: Path, name: str) -> None:
    """Remove what killed writes of ``parent/name`` left (the caller holds the folder's lock)."""
    for pattern in (_FILE_TMP.format(name=name) + "*", _FOLDER_TMP.format(name=name) + "*", f".{name}.*.tmp"):
        for stray in parent.glob(pattern):
            if stray.is_dir() and not stray.is_symlink():
                shutil.rmtree(stray, ignore_errors=True)
            else:
                stray.unlink(missing_ok=True)


@contextlib.contextmanager
def directory_lock(folder: Path, required: bool = True) -> Iterator[None]:
    """An exclusive advisory lock on ``folder`` itself (POSIX ``flock``), so no lock file is left behind;
    released by the system if the process dies.

    Where ``flock`` does not exist, no lock is taken. With ``required`` False, a folder that cannot
    be opened or a file system without locks is written to unlocked instead of raising OSError. Not
    re-entrant: a second lock on the same folder, even from the same process, waits for the first.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: writers are not serialised
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        if required:
            raise
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks
            if required:
                raise
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def fsync_dir(d: Path) -> None:
    """Flush a folder's entries (renames, new files) to disk; a no-op where folders cannot be opened."""
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
