"""The HTTP side of the fake server and the class that puts its parts together."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from testing.fake_bot_api.forms import decode_form_value
from testing.fake_bot_api.limits import LimitsMixin
from testing.fake_bot_api.methods import MethodsMixin
from testing.fake_bot_api.objects import _SEND_METHODS, JSON, TelegramError, UploadedFile
from testing.fake_bot_api.updates import UpdatesMixin
from testing.fake_bot_api.views import ViewsMixin


class FakeTelegram(UpdatesMixin, ViewsMixin, LimitsMixin, MethodsMixin):
    """In-memory Bot API server on 127.0.0.1; see :mod:`testing.fake_bot_api`."""

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on 127.0.0.1 with an OS-chosen port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(
            app,
            access_log=None,
            handle_signals=False,
            handler_cancellation=True,
            shutdown_timeout=1.0,
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Release pending long polls and shut the server down."""
        self._closing = True
        self._changed()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """E.g. ``http://127.0.0.1:PORT``, for ``TelegramAPIServer.from_base``."""
        if self._port is None:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://127.0.0.1:{self._port}"

    # -- HTTP ---------------------------------------------------------------------------------

    async def _handle_method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if self.token is not None and request.match_info["token"] != self.token:
            return web.json_response(TelegramError(401, "Unauthorized").to_json(), status=401)
        try:
            params = await self._read_params(request)
        except ValueError as exc:
            error = TelegramError(400, f"Bad Request: {exc}")
            return web.json_response(error.to_json(), status=400)
        self.calls.append((method, params))
        self._changed()
        key = method.lower()
        chat = params.get("chat_id")
        gate = self._stalls.pop((key, chat), None) if isinstance(chat, int) else None
        if gate is not None:
            self.stalled.append((method, params))
            self._changed()
            await gate.wait()
        try:
            failures = self._failures.get(key)
            if failures:
                raise failures.popleft()
            if key in _SEND_METHODS:
                self._check_recipient(key, params.get("chat_id"))
            handler = self._handlers.get(key)
            if handler is None:
                self.unknown_calls.append((method, params))
                result: Any = True
            else:
                result = await handler(params)
        except TelegramError as error:
            self.errors.append((method, params, error.error_code, error.description))
            self.error_times.append(time.monotonic())
            self._changed()
            return web.json_response(error.to_json(), status=error.error_code)
        self._changed()
        return web.json_response({"ok": True, "result": result})

    async def _read_params(self, request: web.Request) -> JSON:
        raw: dict[str, Any] = dict(request.query)
        if request.body_exists:
            ctype = request.content_type
            if ctype == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise ValueError("JSON body must be an object")
                raw.update(body)
            elif ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        raw[key] = UploadedFile(
                            key, value.filename, value.content_type, value.file.read()
                        )
                    else:
                        raw[key] = value
            else:
                raise ValueError(f"unsupported Content-Type {ctype!r}")
        params = {key: decode_form_value(key, value) for key, value in raw.items()}
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                attached = params.get(value.removeprefix("attach://"))
                if isinstance(attached, UploadedFile):
                    params[key] = attached
        return params

    async def _handle_file(self, request: web.Request) -> web.Response:
        data = self._file_paths.get(request.match_info["path"])
        if data is None:
            return web.json_response(TelegramError(404, "Not Found").to_json(), status=404)
        return web.Response(body=data, content_type="application/octet-stream")
