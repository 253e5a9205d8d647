"""The terminal chat simulator (issue 17 item 11), in process: buttons with a prefix, digits
as text, the bot's files saved, media sent, the admin welcome line."""

from __future__ import annotations

import asyncio
import io
import re
import signal
import threading
from collections.abc import Callable
from pathlib import Path

from bot.clock import FakeClock
from bot.config import Settings
from sakpore_sim.chat import run_chat
from sakpore_sim.harness import Harness
from tests.conftest import ADMIN_ID
from tests.test_staff_tools import seed_registration


async def chat(settings: Settings, text: str, tmp_path: Path, **kwargs: object) -> str:
    out = io.StringIO()
    await run_chat(
        settings,
        kwargs.pop("user_id", 1001),  # type: ignore[arg-type]
        "Budi",
        "id",
        io.StringIO(text),
        out,
        files=tmp_path / "files",
        **kwargs,  # type: ignore[arg-type]
    )
    return out.getvalue()


async def test_buttons_need_the_prefix_and_digits_are_text(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    text = "/start\n4\n/start\n#4\n#99\n/quit\nnot read\n"
    out = await chat(make_settings(), text, tmp_path)
    assert out.startswith("Sakpore Bot — offline chat simulator. You are Budi (id 1001).\n")
    assert "[#4] ℹ️ Bantuan" in out
    # "4" went to the bot as text (not button 4 of the menu); "#4" pressed Bantuan.
    first, second = out.split("Halo, Budi")[1:]
    assert "Bantuan dan daftar perintah" not in first
    assert "Bantuan dan daftar perintah" in second
    assert "(no button #99)" in out
    assert "not read" not in out


async def test_files_are_saved_media_can_be_sent_and_the_admin_is_named(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings = make_settings()
    async with Harness.create(settings, FakeClock()) as h:  # a registration: a chart to draw
        await seed_registration(h, 1002, "Siti Aminah")
    text = "/start\n/statistik\n/kirimfoto\n/kirimstiker\n/kirimsuara\n/kirimdokumen\n"
    out = await chat(settings, text, tmp_path, user_id=ADMIN_ID, as_admin=True)
    assert f"You are Budi (id {ADMIN_ID}), an admin (--as-admin)." in out
    [saved] = re.findall(r"💾 (\S+)", out)
    path = Path(saved)
    assert path.parent == tmp_path / "files" and path.read_bytes()[:4] == b"\x89PNG"
    # Each media message got an answer of its own.
    assert out.count("🤖") >= 7, out


class _CtrlCInInputThread(io.StringIO):
    """Input whose reading thread receives Ctrl+C itself, then waits for input that never
    comes: the signal reaches a thread other than the event loop's."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def readline(self, size: int | None = -1, /) -> str:  # type: ignore[override]
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)
        self.release.wait(10)
        return ""


async def test_ctrl_c_reaching_another_thread_leaves_the_chat_at_once(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    """A process-wide signal may reach any thread. With asyncio.run's own handler, Ctrl+C that
    reached the input thread waited for the event loop's next timer (two loaded full test runs
    timed out); the chat's handler wakes the loop wherever the signal lands."""
    inp, out = _CtrlCInInputThread(), io.StringIO()
    try:
        await asyncio.wait_for(
            run_chat(make_settings(), 1001, "Budi", "id", inp, out, files=tmp_path / "f"), 10
        )
    finally:
        inp.release.set()
    assert out.getvalue().startswith("Sakpore Bot — offline chat simulator.")
    assert out.getvalue().endswith("\n\n")  # the line after "^C"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
