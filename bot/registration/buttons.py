"""Registration's callback data (the formats are in bot/callbacks.py, with every other)."""

from __future__ import annotations

from bot import callbacks

StepButton = callbacks.RegStep  # a button of the registration dialogue's current question
DeleteButton = callbacks.RegDeleteConfirm  # "Yes, delete" under the stored data

# The buttons without fields are their formats: `callbacks.REG_EDIT`, `REG_DELETE`, `REG_KEEP`
# (under stored data) and `MENU_REGISTER` (the main menu's "Register").
ACCOUNT = callbacks.family("rgx")  # every button under stored data
