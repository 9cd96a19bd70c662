"""initData as Telegram signs it for a Mini App, for tests and benchmarks of the Mini App's API."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from urllib.parse import urlencode


def sign(
    token: str,
    user_id: int,
    signed_at: datetime,
    *,
    language_code: str = "en",
    first_name: str = "Tester",
) -> str:
    """initData as Telegram makes it: the fields sorted into a data-check string, signed
    with HMAC-SHA256 under HMAC-SHA256("WebAppData", token)."""
    user = {"id": user_id, "first_name": first_name, "language_code": language_code}
    fields = {
        "auth_date": str(int(signed_at.timestamp())),
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
    }
    check = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)
