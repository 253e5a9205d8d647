"""Files with personal data (the database, exports, backups) are created readable by their
owner only (mode 0600), and an existing file is never overwritten by accident.

The mode is given when the file is created (`os.open`), so there is no moment in which the
file exists with the umask's wider mode. SQLite creates a database's -wal, -shm and -journal
files with the mode of the database file, so a private database keeps them private too.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

PRIVATE_MODE = 0o600


def create_private(path: Path) -> bool:
    """Create `path` as an empty file of mode 0600; False (and nothing done) if it exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def write_private(path: Path, data: bytes, *, replace: bool = False) -> None:
    """Write `data` to `path` with mode 0600.

    An existing path raises FileExistsError unless `replace`; then the old file (or link) is
    replaced as a whole by a new file, never written through (a link to the database or to the
    key file stays intact), and a failed write leaves the old file as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not replace:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return
    # mkstemp creates the file with mode 0600 in the same folder, so the rename is atomic.
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
