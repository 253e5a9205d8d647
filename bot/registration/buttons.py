"""Registration's callback data: one small typed class per format with fields, on the strict
parser of bot/callbacks.py (a forged or garbled button parses as None, never raises)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from bot import callbacks


@dataclass(frozen=True)
class StepButton:
    """`rg:<nonce>:<step>:<value>`: a button of the question at `step` of the registration
    dialogue whose nonce is `nonce` (an older dialogue's button is recognised by it)."""

    nonce: str
    step: str
    value: str

    FORMAT: ClassVar[callbacks.Format] = callbacks.REG_STEP
    pattern: ClassVar[re.Pattern[str]] = callbacks.REG_STEP.pattern

    def pack(self) -> str:
        return self.FORMAT.pack(self.nonce, self.step, self.value)

    @classmethod
    def parse(cls, data: str | None) -> StepButton | None:
        parsed = cls.FORMAT.parse(data)
        return cls(parsed.text(0), parsed.text(1), parsed.text(2)) if parsed else None


@dataclass(frozen=True)
class DeleteButton:
    """`rgx:confirm:<id>`: "Yes, delete" for registration `registration_id` (0: none)."""

    registration_id: int

    FORMAT: ClassVar[callbacks.Format] = callbacks.REG_DELETE_CONFIRM
    pattern: ClassVar[re.Pattern[str]] = callbacks.REG_DELETE_CONFIRM.pattern

    def pack(self) -> str:
        return self.FORMAT.pack(self.registration_id)

    @classmethod
    def parse(cls, data: str | None) -> DeleteButton | None:
        parsed = cls.FORMAT.parse(data)
        return cls(parsed.num(0)) if parsed else None


# The buttons without fields are their formats: `callbacks.REG_EDIT`, `REG_DELETE`, `REG_KEEP`
# (under stored data) and `MENU_REGISTER` (the main menu's "Register").
ACCOUNT = callbacks.family("rgx")  # every button under stored data
