"""An in-memory Telegram Bot API, plugged into python-telegram-bot as its HTTP layer.

`TelegramSimulator` is a `telegram.request.BaseRequest`: give it to both `.request()` and
`.get_updates_request()` of a real `Application` and every Bot API call the bot makes is
answered here, with the JSON Telegram would send. It

* answers getMe, getUpdates (long polling with `offset` and `timeout`), deleteWebhook,
  sendMessage, editMessageText, editMessageReplyMarkup, answerCallbackQuery, deleteMessage,
  sendDocument, sendPhoto, sendChatAction, setMyCommands (and a few harmless others);
* checks messages the way Telegram does: HTML `parse_mode` with unknown or unbalanced tags,
  a stray `<` or `&`, texts over 4,096 characters, empty texts, bad buttons are all a 400;
* refuses a text or caption sent without `parse_mode` HTML, unless made with
  `html_only=False`: Sakpore Bot writes every text as HTML (PTB's Defaults set the parse
  mode of every call), and a text sent without it would show people the tags and `&amp;`;
* records every call and every message per chat, so tests assert on what a user would see;
* injects what users do: text, commands, contacts, stickers, photos, voice notes, locations,
  button presses, group messages;
* can be told to fail a method or a chat with 403, 429 (retry_after), 500, a timeout, or a
  connection that cannot be made at all ("unreachable": what python-telegram-bot raises when
  Telegram is off the network, a NetworkError caused by httpx.ConnectError).

It never touches the network. Latency can be simulated for benchmarks.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import httpx
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot import telegram_text
from bot.clock import Clock, SystemClock
from bot.telegram_text import HtmlError, utf16_len

JSON = dict[str, Any]

BOT_ID = 7_000_000_001
BOT_USERNAME = "SakporeSimBot"
SIM_TOKEN = f"{BOT_ID}:SIMULATOR-not-a-real-token-xxxxxxxxxxxxxx"

MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH  # 4096 UTF-16 code units
MAX_CAPTION = MessageLimit.CAPTION_LENGTH  # 1024
MAX_CALLBACK_DATA = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA  # 64 bytes

FaultKind = Literal[
    "forbidden", "retry_after", "server_error", "timeout", "bad_request", "unreachable"
]


class ApiError(Exception):
    """A Bot API error answer (4xx/5xx) with Telegram's description."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> bytes:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return json.dumps(body).encode()


def parse_html(text: str) -> str:
    """Validate Telegram-flavoured HTML (bot/telegram_text.py) and return the plain text;
    raise ApiError(400) with Telegram's description."""
    try:
        return telegram_text.parse_html(text)
    except HtmlError as exc:
        raise ApiError(400, f"Bad Request: can't parse entities: {exc.problem}") from None


def plain_text(text: str, parse_mode: str | None) -> str:
    """The text as a user sees it (tags removed, entities decoded)."""
    return parse_html(text) if (parse_mode or "").upper() == "HTML" else text


@lru_cache(maxsize=256)
def _handler_name(method: str) -> str:
    """sendMessage -> _api_send_message."""
    return "_api_" + re.sub(r"(?<!^)(?=[A-Z])", "_", method).lower()


@dataclass
class SimUser:
    """A Telegram user the simulator can act as."""

    id: int
    first_name: str = "Budi"
    language_code: str | None = "id"
    username: str | None = None

    def to_json(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            data["language_code"] = self.language_code
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class SimMessage:
    """A message in a simulated chat, sent by the bot or by a user."""

    chat_id: int
    message_id: int
    from_bot: bool
    date: int
    text: str = ""  # as sent (HTML source for bot messages)
    plain: str = ""  # as shown to the user
    parse_mode: str | None = None
    reply_markup: JSON | None = None
    kind: str = "text"  # text, photo, document, sticker, contact, ...
    file: bytes | None = None
    filename: str | None = None
    edits: int = 0
    deleted: bool = False
    raw: JSON = field(default_factory=dict)

    @property
    def inline_buttons(self) -> list[JSON]:
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [button for row in rows for button in row]

    @property
    def reply_buttons(self) -> list[JSON]:
        rows = (self.reply_markup or {}).get("keyboard") or []
        return [
            button if isinstance(button, dict) else {"text": button}
            for row in rows
            for button in row
        ]

    @property
    def buttons(self) -> list[str]:
        """The labels of every button attached to this message."""
        return [b["text"] for b in self.inline_buttons + self.reply_buttons]


@dataclass
class ApiCall:
    method: str
    params: JSON
    ok: bool
    error: str | None = None


@dataclass
class Fault:
    kind: FaultKind
    method: str | None
    chat_id: int | None
    remaining: int | None  # None: until cleared
    retry_after: int = 1
    delivered: bool = False  # for timeouts: the message arrives although the call timed out

    def matches(self, method: str, chat_id: int | None) -> bool:
        if self.method is not None and self.method != method:
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def error(self) -> ApiError:
        if self.kind == "forbidden":
            return ApiError(403, "Forbidden: bot was blocked by the user")
        if self.kind == "retry_after":
            return ApiError(
                429, f"Too Many Requests: retry after {self.retry_after}", self.retry_after
            )
        if self.kind == "bad_request":
            return ApiError(400, "Bad Request: chat not found")
        return ApiError(500, "Internal Server Error")


_SENDING = {
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "sendChatAction",
    "editMessageText",
    "editMessageReplyMarkup",
    "deleteMessage",
}


def _unreachable() -> NetworkError:
    """What python-telegram-bot's HTTPXRequest raises when no connection can be made."""
    cause = httpx.ConnectError("All connection attempts failed (simulated)")
    error = NetworkError(f"httpx.ConnectError: {cause}")
    error.__cause__ = cause
    return error


class TelegramSimulator(BaseRequest):
    """The in-memory Bot API. One instance serves one bot."""

    def __init__(
        self, clock: Clock | None = None, latency: float = 0.0, html_only: bool = True
    ) -> None:
        self.clock = clock or SystemClock()
        self.latency = latency
        self.html_only = html_only
        self.calls: list[ApiCall] = []
        self.chats: dict[int, list[SimMessage]] = {}
        self.commands: dict[str, list[JSON]] = {}
        self.callback_answers: dict[str, JSON] = {}
        self.faults: list[Fault] = []
        self.listeners: list[Callable[[ApiCall, SimMessage | None], None]] = []
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._callback_ids = itertools.count(1)
        self._pending_callbacks: set[str] = set()
        self._new_update: asyncio.Event | None = None
        self._activity: asyncio.Condition | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._gate: asyncio.Event | None = None
        self._gate_applies: Callable[[str, JSON], bool] = lambda method, params: True
        self.held: list[tuple[str, JSON]] = []
        """Calls waiting at the gate (`hold()`), (method, params): on their way, not yet at
        Telegram."""

    # ---- BaseRequest ------------------------------------------------------------------

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params: JSON = dict(request_data.parameters) if request_data else {}
        if request_data is not None and request_data.contains_files:
            for name, part in request_data.multipart_data.items():
                content = part[1] if isinstance(part, tuple) else part
                filename = part[0] if isinstance(part, tuple) else name
                data = content if isinstance(content, bytes) else content.read()
                params[name] = {"__file__": True, "filename": filename, "content": data}
        return await self.call(api_method, params)

    async def call(self, api_method: str, params: JSON) -> tuple[int, bytes]:
        """Answer one Bot API call: (HTTP status, JSON body). Raises TimedOut for timeouts
        and NetworkError (from httpx.ConnectError) for "unreachable"."""
        if self.latency and api_method != "getUpdates":
            await asyncio.sleep(self.latency)
        if (
            self._gate is not None
            and api_method != "getUpdates"
            and self._gate_applies(api_method, params)
        ):
            await self._wait_at_gate(self._gate, api_method, params)
        chat_id = _as_int(params.get("chat_id"))
        fault = self._take_fault(api_method, chat_id)
        message: SimMessage | None = None
        try:
            if fault is not None:
                if fault.kind == "timeout":
                    if fault.delivered:
                        self._dispatch(api_method, params)
                    self._record(ApiCall(api_method, params, ok=False, error="timeout"), None)
                    raise TimedOut("Timed out (simulated)")
                if fault.kind == "unreachable":
                    self._record(ApiCall(api_method, params, ok=False, error="unreachable"), None)
                    raise _unreachable()
                raise fault.error()
            result, message = self._dispatch(api_method, params)
            if api_method == "getUpdates" and not result:
                result = await self._wait_updates(params)
        except ApiError as exc:
            self._record(ApiCall(api_method, params, ok=False, error=exc.description), None)
            return exc.code, exc.payload()
        if api_method != "getUpdates":
            self._record(ApiCall(api_method, params, ok=True), message)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # ---- API methods ----------------------------------------------------------------

    def _dispatch(self, method: str, params: JSON) -> tuple[Any, SimMessage | None]:
        handler = getattr(self, _handler_name(method), None)
        if handler is None:
            raise ApiError(404, "Not Found")
        result = handler(params)
        if isinstance(result, SimMessage):
            return self._message_json(result), result
        return result, None

    def _api_get_me(self, params: JSON) -> JSON:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Sakpore Bot",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _api_get_updates(self, params: JSON) -> list[JSON]:
        offset = _as_int(params.get("offset")) or 0
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        limit = _as_int(params.get("limit")) or 100
        return self._updates[:limit]

    async def _wait_updates(self, params: JSON) -> list[JSON]:
        timeout = float(params.get("timeout") or 0)
        if timeout <= 0:
            return []
        event = self._event()
        event.clear()
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            return []
        return self._api_get_updates(params)

    def _api_delete_webhook(self, params: JSON) -> bool:
        return True

    def _api_set_webhook(self, params: JSON) -> bool:
        return True

    def _api_close(self, params: JSON) -> bool:
        return True

    def _api_log_out(self, params: JSON) -> bool:
        return True

    def _api_set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            name = str(command.get("command", ""))
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: command description is invalid")
        self.commands[self._commands_key(params)] = list(commands)
        return True

    def _api_delete_my_commands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    def _api_get_my_commands(self, params: JSON) -> list[JSON]:
        return self.commands.get(self._commands_key(params), [])

    def _api_set_chat_menu_button(self, params: JSON) -> bool:
        return True

    @staticmethod
    def _commands_key(params: JSON) -> str:
        scope = params.get("scope") or {"type": "default"}
        key = scope.get("type", "default")
        if "chat_id" in scope:
            key += f":{scope['chat_id']}"
        return f"{key}|{params.get('language_code') or ''}"

    def _api_send_chat_action(self, params: JSON) -> bool:
        self._require_chat(params)
        return True

    def _api_send_message(self, params: JSON) -> SimMessage:
        chat_id = self._require_chat(params)
        text = str(params.get("text") or "")
        return self._store_sent(params, chat_id, text, MAX_TEXT, "message text")

    def _api_send_photo(self, params: JSON) -> SimMessage:
        return self._send_media(params, "photo")

    def _api_send_document(self, params: JSON) -> SimMessage:
        return self._send_media(params, "document")

    def _send_media(self, params: JSON, kind: str) -> SimMessage:
        chat_id = self._require_chat(params)
        media = params.get(kind)
        if media is None:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        caption = str(params.get("caption") or "")
        content = media.get("content") if isinstance(media, dict) else None
        filename = media.get("filename") if isinstance(media, dict) else None
        return self._store_sent(
            params,
            chat_id,
            caption,
            MAX_CAPTION,
            "caption",
            allow_empty=True,
            kind=kind,
            file=content,
            filename=filename,
        )

    def _store_sent(
        self,
        params: JSON,
        chat_id: int,
        text: str,
        limit: int,
        what: str,
        *,
        allow_empty: bool = False,
        kind: str = "text",
        file: bytes | None = None,
        filename: str | None = None,
    ) -> SimMessage:
        """A new message from the bot in `chat_id` with `text` (a message's text or a caption,
        checked against `limit`) and the request's parse mode and buttons, stored."""
        parse_mode = params.get("parse_mode")
        plain = self._check_text(text, parse_mode, limit, what, allow_empty=allow_empty)
        markup = self._check_markup(params.get("reply_markup"))
        return self._store(
            SimMessage(
                chat_id,
                self._next_message_id(chat_id),
                True,
                self._now(),
                text,
                plain,
                parse_mode,
                markup,
                kind=kind,
                file=file,
                filename=filename,
            )
        )

    def _api_edit_message_text(self, params: JSON) -> SimMessage:
        message = self._find_bot_message(params)
        text = str(params.get("text") or "")
        parse_mode = params.get("parse_mode")
        plain = self._check_text(text, parse_mode, MAX_TEXT, "message text")
        markup = self._check_markup(params.get("reply_markup"))
        if plain == message.plain and markup == message.reply_markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        message.text, message.plain, message.parse_mode = text, plain, parse_mode
        message.reply_markup = markup
        message.edits += 1
        return message

    def _api_edit_message_reply_markup(self, params: JSON) -> SimMessage:
        message = self._find_bot_message(params)
        markup = self._check_markup(params.get("reply_markup"))
        if markup == message.reply_markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message.reply_markup = markup
        message.edits += 1
        return message

    def _api_delete_message(self, params: JSON) -> bool:
        chat_id = self._require_chat(params)
        message_id = _as_int(params.get("message_id"))
        for message in self.chats.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                message.deleted = True
                return True
        raise ApiError(400, "Bad Request: message to delete not found")

    def _api_answer_callback_query(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._pending_callbacks:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._pending_callbacks.discard(query_id)
        self.callback_answers[query_id] = params
        return True

    # ---- checks ---------------------------------------------------------------------

    def _require_chat(self, params: JSON) -> int:
        chat_id = _as_int(params.get("chat_id"))
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        return chat_id

    def _check_text(
        self, text: str, parse_mode: Any, limit: int, what: str, allow_empty: bool = False
    ) -> str:
        if self.html_only and text and str(parse_mode).upper() != "HTML":
            raise ApiError(400, f"Bad Request: {what} sent without parse_mode HTML (html_only)")
        plain = plain_text(text, parse_mode)
        if not plain.strip() and not allow_empty:
            raise ApiError(400, f"Bad Request: {what} is empty")
        if utf16_len(plain) > limit:
            raise ApiError(400, f"Bad Request: {what} is too long")
        return plain

    @staticmethod
    def _check_markup(markup: Any) -> JSON | None:
        if markup is None:
            return None
        if isinstance(markup, str):
            markup = json.loads(markup)
        if "inline_keyboard" in markup:
            for row in markup["inline_keyboard"]:
                for button in row:
                    if not str(button.get("text", "")).strip():
                        raise ApiError(400, "Bad Request: text buttons are unallowed")
                    actions = [k for k in button if k != "text"]
                    if len(actions) != 1:
                        raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
                    data = button.get("callback_data")
                    if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        elif "keyboard" in markup:
            for row in markup["keyboard"]:
                for button in row:
                    label = button.get("text") if isinstance(button, dict) else button
                    if not str(label or "").strip():
                        raise ApiError(400, "Bad Request: keyboard button text is empty")
        return dict(markup)

    def _find_bot_message(self, params: JSON) -> SimMessage:
        if params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: inline messages are not simulated")
        chat_id = self._require_chat(params)
        message_id = _as_int(params.get("message_id"))
        for message in self.chats.get(chat_id, []):
            if message.message_id == message_id and message.from_bot and not message.deleted:
                return message
        raise ApiError(400, "Bad Request: message to edit not found")

    # ---- state ----------------------------------------------------------------------

    def _now(self) -> int:
        return int(self.clock.now().timestamp())

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def _store(self, message: SimMessage) -> SimMessage:
        self.chats.setdefault(message.chat_id, []).append(message)
        return message

    def _record(self, call: ApiCall, message: SimMessage | None) -> None:
        self.calls.append(call)
        for listener in list(self.listeners):
            listener(call, message)
        if self._activity is not None:
            self._notify()

    def _notify(self) -> None:
        activity = self._activity
        if activity is None:
            return

        async def wake() -> None:
            async with activity:
                activity.notify_all()

        task = asyncio.get_running_loop().create_task(wake())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _event(self) -> asyncio.Event:
        if self._new_update is None:
            self._new_update = asyncio.Event()
        return self._new_update

    def _message_json(self, message: SimMessage) -> JSON:
        data: JSON = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": self._chat_json(message.chat_id),
        }
        if message.from_bot:
            data["from"] = {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Sakpore Bot",
                "username": BOT_USERNAME,
            }
        if message.kind == "text":
            data["text"] = message.plain
        elif message.kind == "photo":
            data["photo"] = [
                {
                    "file_id": f"photo{message.message_id}",
                    "file_unique_id": f"p{message.message_id}",
                    "width": 640,
                    "height": 480,
                }
            ]
        elif message.kind == "document":
            data["document"] = {
                "file_id": f"doc{message.message_id}",
                "file_unique_id": f"d{message.message_id}",
                "file_name": message.filename or "file",
            }
        if message.kind in ("photo", "document") and message.plain:
            data["caption"] = message.plain
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            data["reply_markup"] = message.reply_markup
        if message.edits:
            data["edit_date"] = message.date
        return data

    @staticmethod
    def _chat_json(chat_id: int) -> JSON:
        if chat_id < 0:
            return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}
        return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}

    def _take_fault(self, method: str, chat_id: int | None) -> Fault | None:
        for fault in self.faults:
            if fault.matches(method, chat_id) and (method in _SENDING or fault.method == method):
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self.faults.remove(fault)
                return fault
        return None

    # ---- test controls --------------------------------------------------------------

    def fail(
        self,
        kind: FaultKind,
        *,
        method: str | None = None,
        chat_id: int | None = None,
        times: int | None = 1,
        retry_after: int = 1,
        delivered: bool = False,
    ) -> Fault:
        """Make the next `times` matching calls fail (None: until `clear_faults`).

        Without `method`, only calls that send or change messages are affected; a Telegram
        outage for polling too needs a second fault with method="getUpdates". ("unreachable"
        is for the in-memory simulator; served over HTTP, take the server down instead, as
        tests/faultlab.py does.)
        """
        fault = Fault(kind, method, chat_id, times, retry_after, delivered)
        self.faults.append(fault)
        return fault

    def block(self, chat_id: int) -> Fault:
        """The user blocks the bot: every send to them answers 403 until cleared."""
        return self.fail("forbidden", chat_id=chat_id, times=None)

    def hold(self, applies: Callable[[str, JSON], bool] | None = None) -> None:
        """From now on every call (but getUpdates) for which `applies(method, params)` holds
        (all, by default) waits before it reaches "Telegram", until `release()`: requests
        stay in flight for as long as a test needs, without sleeping."""
        if self._gate is None:
            self._gate = asyncio.Event()
        self._gate_applies = applies or (lambda method, params: True)

    def release(self) -> None:
        """Let the held calls (and all later ones) through."""
        gate, self._gate = self._gate, None
        if gate is not None:
            gate.set()

    async def _wait_at_gate(self, gate: asyncio.Event, method: str, params: JSON) -> None:
        entry = (method, params)
        self.held.append(entry)
        self._notify()
        try:
            await gate.wait()
        finally:
            self.held.remove(entry)

    def clear_faults(self, fault: Fault | None = None) -> None:
        if fault is None:
            self.faults.clear()
        elif fault in self.faults:
            self.faults.remove(fault)

    def new_update(self, payload: JSON) -> JSON:
        """Queue an update for getUpdates and return it (with its update_id)."""
        update = {"update_id": next(self._update_ids), **payload}
        self._updates.append(update)
        self._event().set()
        return update

    def pending_updates(self) -> int:
        return len(self._updates)

    def user_message(
        self,
        user: SimUser,
        *,
        text: str | None = None,
        chat_id: int | None = None,
        queue: bool = False,
        **content: Any,
    ) -> JSON:
        """An update carrying a message from `user` (text or any other content)."""
        chat = chat_id if chat_id is not None else user.id
        mid = self._next_message_id(chat)
        message: JSON = {
            "message_id": mid,
            "date": self._now(),
            "chat": self._chat_json(chat)
            if chat < 0
            else {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.to_json(),
        }
        kind = "text"
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0] if text.split() else text
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
                ]
        for key, value in content.items():
            message[key] = value
            kind = key
        self._store(
            SimMessage(
                chat, mid, False, message["date"], text or "", text or "", kind=kind, raw=message
            )
        )
        payload: JSON = {"message": message}
        if queue:
            return self.new_update(payload)
        return {"update_id": next(self._update_ids), **payload}

    def callback(self, user: SimUser, message: SimMessage, data: str, queue: bool = False) -> JSON:
        """An update for `user` pressing an inline button with `data` on `message`."""
        query_id = str(next(self._callback_ids))
        self._pending_callbacks.add(query_id)
        payload: JSON = {
            "callback_query": {
                "id": query_id,
                "from": user.to_json(),
                "message": self._message_json(message),
                "chat_instance": f"ci{message.chat_id}",
                "data": data,
            }
        }
        if queue:
            return self.new_update(payload)
        return {"update_id": next(self._update_ids), **payload}

    # ---- queries for tests ----------------------------------------------------------

    def message_json(self, message: SimMessage) -> JSON:
        """A message as the Bot API shows it (e.g. as `reply_to_message` of a reply)."""
        if not message.from_bot and message.raw:
            return dict(message.raw)
        return self._message_json(message)

    def bot_messages(self, chat_id: int, include_deleted: bool = False) -> list[SimMessage]:
        return [
            m
            for m in self.chats.get(chat_id, [])
            if m.from_bot and (include_deleted or not m.deleted)
        ]

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    def sent_count(self, chat_id: int | None = None) -> int:
        """Messages the bot delivered (to one chat, or in all)."""
        chats = [chat_id] if chat_id is not None else list(self.chats)
        return sum(len(self.bot_messages(c, include_deleted=True)) for c in chats)

    def last_callback_answer(self) -> JSON | None:
        if not self.callback_answers:
            return None
        return self.callback_answers[max(self.callback_answers, key=int)]

    def on_message(self, listener: Callable[[ApiCall, SimMessage | None], None]) -> None:
        self.listeners.append(listener)

    async def wait_for(self, predicate: Callable[[], bool], within: float = 10.0) -> None:
        """Wait (without polling sleeps) until `predicate()` holds after some API activity."""
        if self._activity is None:
            self._activity = asyncio.Condition()
        activity = self._activity
        async with activity:
            await asyncio.wait_for(activity.wait_for(predicate), within)


def _as_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
