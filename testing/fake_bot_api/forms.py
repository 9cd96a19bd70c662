"""Form decoding: Bot API fields arrive as strings; this turns them into JSON values."""

from __future__ import annotations

import json
import re
from typing import Any

from testing.fake_bot_api.objects import _split

_INT_RE = re.compile(r"-?\d+")
_INT_KEYS = frozenset(
    _split(
        "chat_id from_chat_id message_id offset limit timeout cache_time user_id "
        "reply_to_message_id message_thread_id until_date duration width height length "
        "live_period heading proximity_alert_radius sender_chat_id video_start_timestamp "
        "direct_messages_topic_id"
    )
)
_FLOAT_KEYS = frozenset({"latitude", "longitude", "horizontal_accuracy"})
_STRING_KEYS = frozenset(
    _split(
        "text caption title description short_description name address question explanation "
        "callback_query_id inline_message_id url emoji custom_title query data first_name "
        "last_name phone_number vcard parse_mode language_code business_connection_id "
        "message_effect_id file_id action"
    )
)
_BOOL_PREFIXES = _split(
    "is_ disable_ has_ show_ allow_ protect_ can_ drop_ supports_ revoke_ only_ for_"
)


def decode_form_value(key: str, value: Any) -> Any:
    """Turn a Bot API form field (always a string on the wire) into its JSON value."""
    if not isinstance(value, str) or key in _STRING_KEYS:
        return value
    if key in _INT_KEYS and _INT_RE.fullmatch(value):
        return int(value)
    if key in _FLOAT_KEYS:
        try:
            return float(value)
        except ValueError:
            return value
    if value in ("true", "false") and key.startswith(_BOOL_PREFIXES):
        return value == "true"
    if value.startswith(("{", "[")):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
