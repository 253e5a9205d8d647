"""The TelegramSimulator over HTTP on localhost (`python -m sakpore_sim.sim_server --serve PORT`).

A bot process pointed at it with `TELEGRAM_API_BASE_URL=http://127.0.0.1:PORT/bot` talks to
it exactly as to Telegram, so tests can kill and restart that process. A small control API
(JSON, under /sim/) lets a test act as users and read what the bot sent:

    POST /sim/message   {"user": {"id": 1, "first_name": "Budi"}, "text": "/start"}
    POST /sim/callback  {"user": {...}, "chat_id": 1, "message_id": 3, "data": "menu:faq"}
    POST /sim/fail      {"kind": "retry_after", "method": null, "chat_id": null, "times": 3}
    POST /sim/clear
    GET  /sim/messages?chat_id=1
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

from sakpore_sim.simulator import SimMessage, SimUser, TelegramSimulator

# Text-like parameters are kept as strings; everything else arrives JSON-encoded.
_STRING_PARAMS = {
    "text",
    "caption",
    "callback_query_id",
    "parse_mode",
    "language_code",
    "description",
    "url",
    "secret_token",
    "filename",
}
TIMEOUT_DELAY = 6.0  # longer than python-telegram-bot's default 5 s read timeout


def decode_params(fields: dict[str, list[bytes]]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name, values in fields.items():
        raw = values[-1].decode("utf-8")
        if name in _STRING_PARAMS:
            params[name] = raw
            continue
        try:
            params[name] = json.loads(raw)
        except ValueError:
            params[name] = raw
    return params


def message_view(message: SimMessage) -> dict[str, Any]:
    return {
        "message_id": message.message_id,
        "chat_id": message.chat_id,
        "text": message.text,
        "plain": message.plain,
        "kind": message.kind,
        "buttons": message.inline_buttons + message.reply_buttons,
        "edits": message.edits,
        "deleted": message.deleted,
    }


class BotApiHandler(RequestHandler):
    def initialize(self, sim: TelegramSimulator) -> None:
        self.sim = sim

    async def post(self, token: str, method: str) -> None:
        await self._answer(method)

    async def get(self, token: str, method: str) -> None:
        await self._answer(method)

    async def _answer(self, method: str) -> None:
        from telegram.error import TimedOut

        content_type = self.request.headers.get("Content-Type", "")
        if content_type.startswith("application/json") and self.request.body:
            params: dict[str, Any] = json.loads(self.request.body)
        else:
            params = decode_params(dict(self.request.arguments))
        for name, files in self.request.files.items():
            params[name] = {
                "__file__": True,
                "filename": files[0].filename,
                "content": files[0].body,
            }
        try:
            status, body = await self.sim.call(method, params)
        except TimedOut:
            await asyncio.sleep(TIMEOUT_DELAY)
            status, body = 504, b'{"ok":false,"error_code":504,"description":"Gateway Timeout"}'
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(body)


class ControlHandler(RequestHandler):
    def initialize(self, sim: TelegramSimulator) -> None:
        self.sim = sim

    def get(self, action: str) -> None:
        if action == "messages":
            chat_id = int(self.get_query_argument("chat_id"))
            self.finish({"messages": [message_view(m) for m in self.sim.bot_messages(chat_id)]})
        elif action == "stats":
            self.finish(
                {
                    "calls": len(self.sim.calls),
                    "pending_updates": self.sim.pending_updates(),
                    "sent": self.sim.sent_count(),
                }
            )
        else:
            self.send_error(404)

    def post(self, action: str) -> None:
        body: dict[str, Any] = json.loads(self.request.body or b"{}")
        if action == "message":
            user = SimUser(**body.pop("user"))
            update = self.sim.user_message(user, queue=True, **body)
            self.finish({"update_id": update["update_id"]})
        elif action == "callback":
            user = SimUser(**body["user"])
            target = next(
                m
                for m in self.sim.chats[int(body["chat_id"])]
                if m.message_id == body["message_id"]
            )
            update = self.sim.callback(user, target, body["data"], queue=True)
            self.finish({"update_id": update["update_id"]})
        elif action == "fail":
            self.sim.fail(body.pop("kind"), **body)
            self.finish({"ok": True})
        elif action == "clear":
            self.sim.clear_faults()
            self.finish({"ok": True})
        else:
            self.send_error(404)


def make_app(sim: TelegramSimulator) -> Application:
    return Application(
        [
            (r"/bot([^/]+)/(\w+)", BotApiHandler, {"sim": sim}),
            (r"/sim/(\w+)", ControlHandler, {"sim": sim}),
        ]
    )


def serve(sim: TelegramSimulator, port: int, host: str = "127.0.0.1") -> HTTPServer:
    """Start serving on the running event loop; returns the server (call .stop())."""
    server = HTTPServer(make_app(sim))
    server.listen(port, address=host)
    return server


async def serve_forever(port: int) -> None:
    sim = TelegramSimulator()
    serve(sim, port)
    print(f"simulated Bot API on http://127.0.0.1:{port}/bot (control API under /sim/)")
    await asyncio.Event().wait()


def _main() -> None:
    parser = argparse.ArgumentParser(description="The in-memory Telegram Bot API simulator.")
    parser.add_argument(
        "--serve",
        type=int,
        metavar="PORT",
        required=True,
        help="serve it over HTTP on 127.0.0.1:PORT",
    )
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_forever(args.serve))


if __name__ == "__main__":
    _main()
