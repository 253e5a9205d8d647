"""`sakpore-bot chat`: talk to the real bot in a terminal, through the offline simulator.

You are one user. The bot's messages are printed as plain text; buttons are numbered and
pressed by typing their number (type `\\15` to send the text "15" instead). `/quit` leaves.
"""

from __future__ import annotations

import asyncio
import sys
from typing import IO, Any

from bot.clock import SystemClock
from bot.config import Settings
from sakpore_sim.harness import Harness, UserDriver
from sakpore_sim.simulator import ApiCall, SimMessage, TelegramSimulator


class ChatPrinter:
    """Prints what the bot sends to one chat and remembers the buttons to press."""

    def __init__(self, chat_id: int, out: IO[str]) -> None:
        self.chat_id = chat_id
        self.out = out
        self.buttons: list[tuple[SimMessage, dict[str, Any]]] = []

    def __call__(self, call: ApiCall, message: SimMessage | None) -> None:
        if call.method == "answerCallbackQuery" and call.params.get("text"):
            self._print(f"🔔 {call.params['text']}")
            return
        if message is None or message.chat_id != self.chat_id:
            return
        if call.method in ("sendMessage", "sendPhoto", "sendDocument"):
            prefix = {"sendPhoto": "[foto] ", "sendDocument": f"[file {message.filename}] "}
            self._print("🤖 " + prefix.get(call.method, "") + message.plain)
        elif call.method == "editMessageText":
            self._print("🤖 (diubah / edited) " + message.plain)
        elif call.method != "editMessageReplyMarkup":
            return
        buttons = [(message, b) for b in message.inline_buttons + message.reply_buttons]
        if buttons or call.method == "editMessageReplyMarkup":
            self.buttons = buttons
        for number, (_msg, button) in enumerate(buttons, 1):
            self._print(f"   [{number}] {button['text']}")

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


async def _handle_line(line: str, user: UserDriver, printer: ChatPrinter, inp: IO[str]) -> None:
    stripped = line.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(printer.buttons):
        message, button = printer.buttons[int(stripped) - 1]
        if "callback_data" in button:
            await user.press_data(button["callback_data"], message)
        elif button.get("request_contact"):
            printer.out.write("(phone number to share) > ")
            printer.out.flush()
            phone = (await asyncio.to_thread(inp.readline)).strip()
            await user.send_contact(phone)
        else:
            await user.send(button["text"])
        return
    await user.send(line[1:] if line.startswith("\\") else line)


async def run_chat(
    settings: Settings,
    user_id: int,
    name: str,
    language: str,
    inp: IO[str] = sys.stdin,
    out: IO[str] = sys.stdout,
) -> None:
    """The interactive loop; returns at /quit or end of input."""
    sim = TelegramSimulator(SystemClock())
    printer = ChatPrinter(user_id, out)
    sim.on_message(printer)
    async with Harness.create(settings, SystemClock(), sim, start_jobs=True) as harness:
        user = harness.user(user_id, name, language)
        out.write(
            "Sakpore Bot — offline chat simulator. Type a message; type a number to press a "
            "button; /quit to leave.\n"
        )
        out.flush()
        while True:
            line = await asyncio.to_thread(inp.readline)
            if not line:
                break
            line = line.rstrip("\r\n")
            if line.strip() == "/quit":
                break
            if not line.strip():
                continue
            await _handle_line(line, user, printer, inp)
