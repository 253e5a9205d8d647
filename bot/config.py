"""Settings, read once from the environment and `.env`, validated before anything starts."""

from __future__ import annotations

import base64
import re
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.officehours import OfficeHours
from bot.resources import data_dir

LOCALES_DIR = data_dir("locales")
# the labelled questions shipped with the bot (bot/faq/gate.py; KB_GATE_FILES names some)
LABELLED_DIR = LOCALES_DIR / "labelled"
MIGRATIONS_DIR = data_dir("migrations")
SUPPORTED_LOCALES = ("id", "en")

# A BotFather token: the bot's numeric id, a colon, the secret. Validation and log redaction
# (bot/logging_setup.py) share this pattern, so every token the bot accepts is redacted.
TOKEN_PATTERN = r"\d{3,20}:[A-Za-z0-9_-]{20,}"  # noqa: S105 - a regex, not a secret


class ConfigError(Exception):
    """A setting is missing or wrong; the message is one line naming the variable."""


class Settings(BaseSettings):
    """Every setting of the bot. `.env.example` documents each one with its default."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    database_path: Path = Path("data/sakpore.db")
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    staff_chat_id: int | None = None
    timezone: str = "Asia/Jakarta"
    default_locale: Literal["id", "en"] = "id"
    contribution_monthly_idr: int = Field(default=16800, gt=0, le=10_000_000)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    # Global cap on Bot API calls per second (Telegram allows about 30); 0 turns it off.
    telegram_max_rate: float = Field(default=30.0, ge=0, le=1000)
    # Contact details shown to users; staff fill them in. Empty means "not configured":
    # the bot then never invents a number or an address.
    contact_phone: str = ""
    contact_address: str = ""
    contact_hours: str = ""
    # When staff answer "Tanya petugas" questions, e.g. "Mon-Fri 08:00-16:00" (in TIMEZONE).
    # Outside them a user who asks for a person is told when to expect an answer. Empty: no
    # hours are stated (the bot never makes them up). See bot/officehours.py for the format.
    office_hours: str = ""
    # Key for NIK encryption at rest (Fernet, urlsafe base64). Empty: a key file is created
    # beside the database on first start.
    nik_encryption_key: SecretStr | None = None
    # Folder with the knowledge base (<lang>/faq.toml, <lang>/lexicon.toml, faq_matching.toml).
    # Empty: the project's locales/ folder.
    faq_dir: Path | None = None
    # Score, while staff read a /pertanyaan card, the change its first "Tambahkan ke" button
    # makes, so that tapping it publishes at once (about 2.5 s of one core per card shown)
    kb_foresee: bool = True
    # The labelled files (in locales/labelled/, comma-separated) the accuracy gate answers
    # for each staff change. Empty: all of them (about 4,300 questions, 4-5 s of one core per
    # change). Fewer files score a change sooner and catch fewer of the answers it breaks.
    kb_gate_files: Annotated[tuple[str, ...], NoDecode] = ()
    # Reminders missed by less than this during downtime are still sent at start.
    reminder_grace_hours: float = Field(default=6.0, ge=0, le=72)
    # Flood control: more updates than this from one user in a minute -> one polite warning,
    # then the user is ignored for FLOOD_MUTE_SECONDS. 0 turns it off.
    flood_max_per_minute: int = Field(default=30, ge=0, le=10_000)
    flood_mute_seconds: float = Field(default=120.0, ge=0, le=86_400)
    # At most this many reminders leave per second (PTB's limiter caps all calls on top).
    reminder_max_per_second: int = Field(default=10, ge=1, le=30)
    # A reminder Telegram did not take (a 5xx) is tried again after this many seconds, doubled
    # for each further try (at most an hour between tries). Telegram unreachable or a 429
    # pauses all reminders instead (bot/reminders.py), without counting a try.
    reminder_retry_seconds: float = Field(default=60.0, gt=0, le=3600)
    # Updates handled at the same time (different users; one user's updates stay in order).
    concurrent_updates: int = Field(default=64, ge=1, le=1024)
    # How often the background workers (reminders, broadcasts) look for due work.
    worker_interval_seconds: float = Field(default=30.0, gt=0, le=600)
    # Questions typed to the bot (the question log staff review) are deleted after this many
    # days by the draft-expiry worker; /statistik keeps their anonymous counts.
    question_retention_days: int = Field(default=180, ge=1, le=3650)
    # Broadcasts: messages per second at most (Telegram allows ~30/s for the whole bot; the
    # rest is left for replies), requests in flight at once, tries of a transient failure
    # (5xx, network) before a recipient counts as failed, the first wait before a retry
    # (doubled each time, at most 10 minutes), how often the sender's progress message changes.
    broadcast_max_per_second: float = Field(default=25.0, gt=0, le=1000)
    broadcast_concurrency: int = Field(default=50, ge=1, le=1000)
    broadcast_max_attempts: int = Field(default=5, ge=1, le=50)
    broadcast_retry_seconds: float = Field(default=10.0, gt=0, le=3600)
    broadcast_progress_seconds: float = Field(default=5.0, ge=1, le=600)

    # Status messages (issue 17): when staff mark a registration in /pendaftar, the person is
    # told this many seconds later (a newer mark meanwhile replaces the message: time to undo
    # a wrong tap).
    status_message_delay_seconds: float = Field(default=60.0, ge=0, le=3600)
    # The daily digest in the staff group (STAFF_CHAT_ID): new registrations since the last
    # one, those still "baru" after DIGEST_STALE_DAYS days, questions waiting for a person.
    # HH:MM in TIMEZONE; empty: no digest.
    digest_time: str = "08:00"
    digest_stale_days: int = Field(default=3, ge=1, le=60)
    # The office's promise for answering a "Tanya petugas" question, in hours (0: none is
    # stated): the digest counts and marks (⏰) the questions waiting longer.
    handoff_reply_hours: int = Field(default=0, ge=0, le=720)

    # Webhook mode (`sakpore-bot run --webhook`): Telegram posts updates to WEBHOOK_URL (a
    # public https address, usually a reverse proxy) which forwards to WEBHOOK_LISTEN:PORT.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _secret_shape(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", str(value)):
            raise ValueError("must be 16-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not str(value).startswith(("https://", "http://")):
            raise ValueError("must be an https:// address")
        return str(value).strip()

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip()
        if not re.fullmatch(TOKEN_PATTERN, text):
            raise ValueError("does not look like a BotFather token (digits:letters)")
        return text

    @field_validator("nik_encryption_key", mode="before")
    @classmethod
    def _fernet_key(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value.get_secret_value() if isinstance(value, SecretStr) else value).strip()
        try:
            base64.urlsafe_b64decode(text.encode("ascii"))
            valid = len(text) == 44 and len(base64.urlsafe_b64decode(text)) == 32
        except (ValueError, UnicodeError):
            valid = False
        if not valid:
            # Never echo the value: it is a secret.
            raise ValueError(
                "is not a valid encryption key (it must be 44 characters of URL-safe base64, "
                "as printed by Fernet.generate_key(); see docs/registration.md)"
            )
        return text

    @field_validator("telegram_api_base_url", mode="before")
    @classmethod
    def _base_url(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip()
        if not text.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return text

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [p for p in re.split(r"[,\s]+", value.strip()) if p]
            ids = []
            for part in parts:
                if not re.fullmatch(r"-?\d+", part):
                    raise ValueError(f"'{part}' is not a numeric Telegram user id")
                ids.append(int(part))
            return frozenset(ids)
        return value

    @field_validator("kb_gate_files", mode="before")
    @classmethod
    def _split_files(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(p for p in re.split(r"[,\s]+", value.strip()) if p)
        return value

    @field_validator("kb_gate_files")
    @classmethod
    def _shipped_files(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # the files directly in LABELLED_DIR are the gate's (bot.faq.gate.LABELLED_FILES,
        # which tests/test_kb_layer.py keeps in step with the folder)
        for name in value:
            if Path(name).name != name or not (LABELLED_DIR / name).is_file():
                raise ValueError(f"'{name}' is not a labelled file in locales/labelled/")
        return value

    @field_validator("digest_time", mode="before")
    @classmethod
    def _digest_time(cls, value: Any) -> Any:
        text = "" if value is None else str(value).strip()
        if not text:
            return ""
        match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text)
        if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise ValueError("must be a time of day like 08:00 (or empty: no digest)")
        return f"{int(match.group(1)):02d}:{match.group(2)}"

    @property
    def digest_at(self) -> time | None:
        """DIGEST_TIME as a time of day, None when the digest is off."""
        if not self.digest_time:
            return None
        hour, minute = self.digest_time.split(":")
        return time(int(hour), int(minute))

    @field_validator("staff_chat_id", "faq_dir", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("office_hours")
    @classmethod
    def _office_hours(cls, value: str) -> str:
        OfficeHours.parse(value)  # OfficeHoursError (a ValueError) names the problem
        return value.strip()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone '{value}'") from exc
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @property
    def tz(self) -> ZoneInfo:
        """The configured time zone (WIB by default)."""
        return ZoneInfo(self.timezone)

    @property
    def token(self) -> str | None:
        """The bot token in clear, or None for the offline simulator."""
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None


def load_settings(**overrides: Any) -> Settings:
    """Read and validate the settings; raise ConfigError with a one-line message when wrong."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{name}: {message}") from None
