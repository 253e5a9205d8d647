"""Where the bot's data folders are: the catalogues and knowledge base (locales/) and the
database migrations (migrations/).

In a checkout (and an editable install) they are the repository's top-level folders. In an
installed wheel they are package data, bot/_data/locales and bot/_data/migrations
(pyproject.toml maps them there), so the bot runs without the repository.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Literal

DataFolder = Literal["locales", "migrations"]

_CHECKOUT = Path(__file__).resolve().parent.parent


def data_dir(name: DataFolder) -> Path:
    """The folder `name`: the installed package's copy when there is one, else the checkout's."""
    packaged = files("bot") / "_data" / name
    if isinstance(packaged, Path) and packaged.is_dir():  # pip installs unpacked: a real path
        return packaged
    return _CHECKOUT / name
