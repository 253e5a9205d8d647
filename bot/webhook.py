"""Webhook mode (`sakpore-bot run --webhook`): the HTTP server Telegram posts updates to.

python-telegram-bot's own webhook server (`Application.run_webhook`) reads a request's whole
body, up to tornado's default limit of 100 MB, before it looks at the secret header: six 95 MB
posts from anyone who knows the address took the process past 800 MB. This server checks
`X-Telegram-Bot-Api-Secret-Token` as soon as the headers have arrived, before one byte of the
body is read (tornado's `stream_request_body`: `prepare()` runs first), and reads at most
`MAX_BODY_BYTES` of an accepted request. Updates go to the Application's update queue, as
with python-telegram-bot's server; `run_webhook` mirrors the Application's own start and
stop sequence around it.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from http import HTTPStatus
from typing import Any
from urllib.parse import urlparse

from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.web import Application as WebApplication
from tornado.web import HTTPError, RequestHandler, stream_request_body

from bot.config import Settings
from bot.context import SakporeApp

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
# An update is a few kB (a 4,096-character text with its entities is well under 100 kB).
MAX_BODY_BYTES = 2**20


@stream_request_body
class UpdateHandler(RequestHandler):
    """POST of one update: secret first, then at most MAX_BODY_BYTES of JSON."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, app: SakporeApp, secret: str) -> None:
        self.app = app
        self.secret = secret.encode()
        self.chunks: list[bytes] = []

    def prepare(self) -> None:
        """Runs when the headers have arrived; the body has not been read yet."""
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            raise HTTPError(HTTPStatus.FORBIDDEN)
        length = self.request.headers.get("Content-Length", "")
        if length.isascii() and length.isdigit() and int(length) > MAX_BODY_BYTES:
            raise HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        if self.request.headers.get("Content-Type", "").split(";")[0].strip() != (
            "application/json"
        ):
            raise HTTPError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE)

    def data_received(self, chunk: bytes) -> None:
        # The server's max_body_size (MAX_BODY_BYTES) ends a longer body, chunked or not.
        self.chunks.append(chunk)

    async def post(self) -> None:
        try:
            update = Update.de_json(json.loads(b"".join(self.chunks)), self.app.bot)
        except Exception as exc:  # any malformed JSON or update; its content is not logged
            logger.warning("webhook: refused a body that is not an update (%s)", type(exc).__name__)
            raise HTTPError(HTTPStatus.BAD_REQUEST) from None
        await self.app.update_queue.put(update)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A refusal closes the connection, and says so: a refusal made before the body was
        read leaves the body unread, so tornado cannot keep the connection, and a client told
        nothing would send its next update on a connection that is being closed."""
        self.set_header("Connection", "close")
        super().write_error(status_code, **kwargs)

    def log_exception(self, *args: Any) -> None:
        """Refusals (HTTPError) are expected and not logged; anything else is."""
        if not isinstance(args[1], HTTPError):
            super().log_exception(*args)


def make_server(app: SakporeApp, path: str, secret: str) -> HTTPServer:
    web = WebApplication(
        [(rf"/{path.strip('/')}/?", UpdateHandler, {"app": app, "secret": secret})],
        log_function=lambda handler: None,  # no access log, so refusals cannot flood the log
    )
    return HTTPServer(web, max_body_size=MAX_BODY_BYTES, idle_connection_timeout=60)


async def run_webhook(app: SakporeApp, settings: Settings) -> None:
    """Start the Application, serve updates until SIGINT/SIGTERM, stop it cleanly (the same
    order as python-telegram-bot's `run_webhook`: post_init, webhook, start; stop, shutdown)."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    secret = settings.webhook_secret.get_secret_value()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server = make_server(app, urlparse(settings.webhook_url).path, secret)
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        server.listen(settings.webhook_port, address=settings.webhook_listen)
        await app.bot.set_webhook(
            settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        await app.start()
        await stop.wait()
    finally:
        server.stop()
        await server.close_all_connections()
        if app.running:
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
