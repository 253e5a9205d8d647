"""`sakpore-bot chat`: talk to the real bot in a terminal, through the offline simulator.

You are one user. The bot's messages are printed as plain text; buttons are numbered and
pressed by typing `#` and their number (`#2`); anything else, digits too, is sent as text
(type `\\#2` to send the text "#2"). Photos and documents the bot sends (the /statistik
chart, an /ekspor file) are saved under a folder and their path printed. `/kirimfoto`,
`/kirimstiker`, `/kirimsuara` and `/kirimdokumen` send a photo, sticker, voice note or PDF.
`/quit`, end of input or Ctrl+C leaves at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from bot.clock import SystemClock
from bot.config import Settings
from sakpore_sim.harness import Harness, UserDriver
from sakpore_sim.simulator import ApiCall, SimMessage, TelegramSimulator

BUTTON = re.compile(r"^#(\d{1,3})$")


class ChatPrinter:
    """Prints what the bot sends to one chat, saves its files, remembers the buttons."""

    def __init__(self, chat_id: int, out: IO[str], files: Path | None = None) -> None:
        self.chat_id = chat_id
        self.out = out
        self.files = files
        self.buttons: list[tuple[SimMessage, dict[str, Any]]] = []
        self._saved = 0

    def __call__(self, call: ApiCall, message: SimMessage | None) -> None:
        if call.method == "answerCallbackQuery" and call.params.get("text"):
            self._print(f"🔔 {call.params['text']}")
            return
        if message is None or message.chat_id != self.chat_id:
            return
        if call.method in ("sendMessage", "sendPhoto", "sendDocument"):
            prefix = {"sendPhoto": "[foto] ", "sendDocument": f"[file {message.filename}] "}
            self._print("🤖 " + prefix.get(call.method, "") + message.plain)
            saved = self._save(message)
            if saved is not None:
                self._print(f"   💾 {saved}")
        elif call.method == "editMessageText":
            self._print("🤖 (diubah / edited) " + message.plain)
        elif call.method != "editMessageReplyMarkup":
            return
        buttons = [(message, b) for b in message.inline_buttons + message.reply_buttons]
        if buttons or call.method == "editMessageReplyMarkup":
            self.buttons = buttons
        for number, (_msg, button) in enumerate(buttons, 1):
            self._print(f"   [#{number}] {button['text']}")

    def _save(self, message: SimMessage) -> Path | None:
        """An uploaded photo or document, written under `files` (a file id alone, as in a
        broadcast of a photo staff sent, has no bytes to save)."""
        if self.files is None or message.file is None:
            return None
        self._saved += 1
        default = "foto.png" if message.kind == "photo" else "file"
        name = Path(message.filename or default).name
        self.files.mkdir(parents=True, exist_ok=True)
        path = self.files / f"{self._saved:03d}-{name}"
        path.write_bytes(message.file)
        return path

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


# What the chat's own commands send (the bot sees an ordinary message of that kind).
_PDF = {"file_id": "doc1", "file_unique_id": "u_doc1", "file_name": "bukti-bayar.pdf"}
MEDIA_COMMANDS = {
    "/kirimfoto": "photo",
    "/kirimstiker": "sticker",
    "/kirimsuara": "voice",
    "/kirimdokumen": "document",
}


async def _handle_line(line: str, user: UserDriver, printer: ChatPrinter, lines: _Lines) -> None:
    stripped = line.strip()
    pressed = BUTTON.match(stripped)
    if pressed is not None:
        number = int(pressed.group(1))
        if not 1 <= number <= len(printer.buttons):
            printer._print(f"(no button #{number})")
            return
        message, button = printer.buttons[number - 1]
        if "callback_data" in button:
            await user.press_data(button["callback_data"], message)
        elif button.get("request_contact"):
            printer.out.write("(phone number to share) > ")
            printer.out.flush()
            phone = ((await lines.get()) or "").strip()
            await user.send_contact(phone)
        else:
            await user.send(button["text"])
        return
    media = MEDIA_COMMANDS.get(stripped.lower())
    if media == "photo":
        await user.send_photo()
    elif media == "sticker":
        await user.send_sticker()
    elif media == "voice":
        await user.send_voice()
    elif media == "document":
        await user.send_content(document=_PDF, caption="")
    else:
        await user.send(line[1:] if line.startswith("\\") else line)


class _Lines:
    """Input lines read by a daemon thread: waiting for one never holds the process open, so
    Ctrl+C (and /quit) leave at once (a blocked `asyncio.to_thread(readline)` kept the
    interpreter waiting for the thread at exit)."""

    def __init__(self, inp: IO[str]) -> None:
        self._inp = inp
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.interrupted = False  # ended by Ctrl+C

    def start(self) -> None:
        """Start reading."""
        loop = asyncio.get_running_loop()

        def read() -> None:
            while True:
                try:
                    line = self._inp.readline()
                except (OSError, ValueError):
                    line = ""
                try:
                    loop.call_soon_threadsafe(self._queue.put_nowait, line or None)
                except RuntimeError:  # the chat left (Ctrl+C) and its loop is closed
                    return
                if not line:
                    return

        threading.Thread(target=read, name="chat-input", daemon=True).start()

    async def get(self) -> str | None:
        """The next line, or None at end of input."""
        return await self._queue.get()

    def end(self) -> None:
        """End the input now, as end of input would (Ctrl+C)."""
        self.interrupted = True
        self._queue.put_nowait(None)


@contextlib.contextmanager
def _ctrl_c_ends(lines: _Lines) -> Iterator[None]:
    """While inside: Ctrl+C ends the input (the chat leaves after the line in hand), and a
    second Ctrl+C cancels the chat. Through the event loop (`add_signal_handler`), which wakes
    up whatever thread the signal reaches: with asyncio.run's own handler, a signal that
    reached the input or database thread waited for the loop's next timer, and a loaded test
    run timed out. Nothing changes where signals cannot be handled (not the main thread)."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    pressed = 0

    def on_sigint() -> None:
        nonlocal pressed
        pressed += 1
        if pressed == 1:
            lines.end()
        elif task is not None:
            task.cancel()

    try:
        loop.add_signal_handler(signal.SIGINT, on_sigint)
    except (RuntimeError, ValueError):  # not the main thread
        handled = False
    else:
        handled = True
    try:
        yield
    finally:
        if handled:
            loop.remove_signal_handler(signal.SIGINT)


def welcome(name: str, user_id: int, as_admin: bool) -> str:
    who = f"You are {name} (id {user_id})" + (", an admin (--as-admin)." if as_admin else ".")
    return (
        "Sakpore Bot — offline chat simulator. " + who + "\n"
        "Type a message (digits too); #N presses button N; /kirimfoto, /kirimstiker, "
        "/kirimsuara, /kirimdokumen send media; /quit or Ctrl+C leaves.\n"
    )


async def run_chat(
    settings: Settings,
    user_id: int,
    name: str,
    language: str,
    inp: IO[str] = sys.stdin,
    out: IO[str] = sys.stdout,
    *,
    as_admin: bool = False,
    files: Path | None = None,
) -> None:
    """The interactive loop; returns at /quit or end of input. `files`: where the bot's
    photos and documents are saved (default: `chat-files/` beside the database)."""
    folder = files if files is not None else settings.database_path.parent / "chat-files"
    sim = TelegramSimulator(SystemClock())
    printer = ChatPrinter(user_id, out, folder)
    sim.on_message(printer)
    async with Harness.create(settings, SystemClock(), sim, start_jobs=True) as harness:
        user = harness.user(user_id, name, language)
        lines = _Lines(inp)
        with _ctrl_c_ends(lines):
            lines.start()
            out.write(welcome(name, user_id, as_admin))
            out.flush()
            while True:
                line = await lines.get()
                if line is None:
                    break
                line = line.rstrip("\r\n")
                if line.strip() == "/quit":
                    break
                if not line.strip():
                    continue
                await _handle_line(line, user, printer, lines)
        if lines.interrupted:
            out.write("\n")  # the shell's prompt on a line of its own, after "^C"
            out.flush()
