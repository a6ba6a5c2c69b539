"""Writing an export: refuse a target that cannot be written with a clear message, and write
beside it, flush it to disk, then rename, so neither a failed export nor a power cut leaves
half a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from hotdash_roleplay.errors import UserError


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Read once at import (before any worker thread): os.umask can only be read by setting it.
_FILE_MODE = 0o666 & ~_read_umask()


def check_target(path: Path | str, suffixes: tuple[str, ...] = ()) -> Path:
    """The target as a Path, or UserError saying why it cannot be written."""
    path = Path(path).expanduser()
    if suffixes and path.suffix.lower() not in suffixes:
        raise UserError(f"{path.name}: the file name should end in {' or '.join(suffixes)}.")
    folder = path.parent
    if path.is_dir():
        raise UserError(f"{path} is a folder; give a file name to export to.")
    if not folder.exists():
        raise UserError(f"The folder {folder} does not exist; create it or choose another.")
    if not folder.is_dir():
        raise UserError(f"{folder} is not a folder.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UserError(f"The folder {folder} cannot be written to; choose another.")
    if path.exists() and not os.access(path, os.W_OK):
        raise UserError(f"{path} exists and cannot be overwritten.")
    return path


def _sync_file(path: Path) -> None:
    """The content on disk before the rename, or a power cut could leave an empty file."""
    with path.open("r+b") as fh:
        os.fsync(fh.fileno())


def _sync_folder(folder: Path) -> None:
    """The rename itself on disk (POSIX; Windows cannot open a folder to flush it)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path | str, write: Callable[[Path], object]) -> Path:
    """Call `write` on a temporary file in the target folder, then rename it over `path`."""
    path = check_target(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise UserError(f"Cannot write in {path.parent}: {exc.strerror or exc}.") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        # mkstemp makes the file private (0600); an export gets the usual permissions.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else _FILE_MODE)
        _sync_file(tmp)
        os.replace(tmp, path)
        _sync_folder(path.parent)
    except OSError as exc:
        raise UserError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return path
