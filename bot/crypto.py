"""Encryption of personal data at rest (Fernet) and a keyed hash for duplicate checks.

One secret, a Fernet key, protects everything:

* `encrypt()` / `decrypt()`: Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) for the
  NIK, the phone number, the name and the registration drafts;
* `keyed_hash()`: HMAC-SHA256 with a second key derived from the same secret through HKDF,
  so the database can tell "this NIK is already registered" without holding the NIK in clear
  (a plain SHA-256 of a 16-digit number could be reversed by trying every NIK).

Where the key comes from (`open_cipher`):

1. the setting NIK_ENCRYPTION_KEY, when set;
2. otherwise the file `<DATABASE_PATH>.key`; when it does not exist and the database holds no
   encrypted data yet, a new key is generated into it (mode 0600) with a warning to back it up.

A known value encrypted with the key is kept in the database (`crypto_key_check`); a key that
cannot decrypt it (a wrong or lost key) stops the start with a clear message instead of
silently writing data that can never be read together with the old data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
from pathlib import Path
from typing import Any, Protocol

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.config import ConfigError, Settings

logger = logging.getLogger(__name__)

_HASH_INFO = b"sakpore-bot keyed hash v1"
_CHECK_PLAINTEXT = "sakpore-bot key check v1"


class DecryptionError(Exception):
    """A stored value could not be decrypted with the loaded key."""


class KeyCheckStore(Protocol):
    """Where the key-check value lives (bot.store.registrations.KeyCheckRepo)."""

    async def get(self) -> str | None: ...

    async def put(self, token: str) -> None: ...


class FieldCipher:
    """Encrypts and hashes personal fields. Created empty; `load()` gives it the key."""

    def __init__(self) -> None:
        self._fernet: Fernet | None = None
        self._hash_key: bytes | None = None

    @property
    def loaded(self) -> bool:
        return self._fernet is not None

    def load(self, key: bytes) -> None:
        """Use this Fernet key (44 characters of URL-safe base64); ValueError when malformed."""
        fernet = Fernet(key)  # validates the key's shape
        raw = base64.urlsafe_b64decode(key)
        self._hash_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=_HASH_INFO
        ).derive(raw)
        self._fernet = fernet

    def _f(self) -> Fernet:
        if self._fernet is None:
            raise RuntimeError("the encryption key is not loaded (the bot has not started)")
        return self._fernet

    def encrypt(self, text: str) -> str:
        return self._f().encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._f().decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as exc:
            raise DecryptionError("a stored value cannot be decrypted with this key") from exc

    def encrypt_json(self, data: dict[str, Any]) -> str:
        return self.encrypt(json.dumps(data, ensure_ascii=False, separators=(",", ":")))

    def decrypt_json(self, token: str) -> dict[str, Any]:
        data = json.loads(self.decrypt(token))
        if not isinstance(data, dict):
            raise DecryptionError("the stored value is not a JSON object")
        return data

    def keyed_hash(self, text: str) -> str:
        """HMAC-SHA256 (hex) of the text under the derived hash key."""
        if self._hash_key is None:
            raise RuntimeError("the encryption key is not loaded (the bot has not started)")
        return hmac.new(self._hash_key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def generate_key() -> str:
    """A new random Fernet key, as text."""
    return Fernet.generate_key().decode("ascii")


def key_file_path(settings: Settings) -> Path | None:
    """`<DATABASE_PATH>.key`, or None for an in-memory database."""
    if str(settings.database_path) == ":memory:":
        return None
    return settings.database_path.with_name(settings.database_path.name + ".key")


def _parse_key(text: str, origin: str) -> bytes:
    key = text.strip().encode("ascii", errors="replace")
    try:
        Fernet(key)
    except (ValueError, TypeError):
        raise ConfigError(
            f"{origin}: is not a valid encryption key (it must be the 44-character key "
            "printed by Fernet.generate_key(); see docs/registration.md)"
        ) from None
    return key


def _write_key_file(path: Path, key: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")


def resolve_key(settings: Settings, database_has_data: bool) -> bytes:
    """The key from the setting or the key file; generate the file on a new database."""
    if settings.nik_encryption_key is not None:
        value = settings.nik_encryption_key.get_secret_value()
        if value.strip():
            return _parse_key(value, "NIK_ENCRYPTION_KEY")
    path = key_file_path(settings)
    if path is None:
        return generate_key().encode("ascii")
    if path.exists():
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            logger.warning(
                "the key file %s can be read by other users (mode %o); run: chmod 600 %s",
                path,
                mode,
                path,
            )
        return _parse_key(path.read_text(encoding="ascii", errors="replace"), f"key file {path}")
    if database_has_data:
        raise ConfigError(
            f"NIK_ENCRYPTION_KEY: the database {settings.database_path} holds encrypted data, "
            f"but NIK_ENCRYPTION_KEY is empty and the key file {path} is missing. Restore the "
            "key from your backup (the file, or the setting); a new key cannot read old data"
        )
    key = generate_key()
    _write_key_file(path, key)
    logger.warning(
        "generated a new encryption key for NIKs and phone numbers in %s. BACK IT UP now and "
        "keep it apart from database backups: without it the registrations cannot be read",
        path,
    )
    return key.encode("ascii")


async def open_cipher(cipher: FieldCipher, settings: Settings, store: KeyCheckStore) -> None:
    """Load the key into `cipher` and check that it is the key of this database."""
    check = await store.get()
    key = resolve_key(settings, database_has_data=check is not None)
    cipher.load(key)
    if check is None:
        await store.put(cipher.encrypt(_CHECK_PLAINTEXT))
        return
    try:
        ok = cipher.decrypt(check) == _CHECK_PLAINTEXT
    except DecryptionError:
        ok = False
    if not ok:
        origin = (
            "NIK_ENCRYPTION_KEY"
            if settings.nik_encryption_key and settings.nik_encryption_key.get_secret_value()
            else f"the key file {key_file_path(settings)}"
        )
        raise ConfigError(
            f"NIK_ENCRYPTION_KEY: {origin} is not the key this database was encrypted with. "
            "Restore the right key from your backup; do not delete data to get past this"
        )
