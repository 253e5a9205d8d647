"""Every handler group of the bot, in the order PTB runs them (lowest first).

In each group the first handler whose filters match an update runs; a handler can end the
update's way through later groups with ApplicationHandlerStop.
"""

from __future__ import annotations

import enum


class HandlerGroup(enum.IntEnum):
    COMMON = -100  # handlers/common.py: store the user, flood control, groups, edits
    CHAT_MEMBER = -99  # handlers/common.py: the user blocked or unblocked the bot
    STAFF_GROUP_REPLY = -70  # handlers/handoff.py: a staff reply in the staff group -> the user
    STAFF_MENU = -65  # handlers/staff.py: a staff member's own command menu, set when missing
    DIALOGS = -60  # handlers/dialogs.py: the message of someone in a dialogue
    FEATURES = 0  # commands and buttons, the FAQ catch-all, then handlers/fallback.py
    DIALOG_AGAIN = 1  # handlers/dialogs.py: after another command, the dialogue's question again
