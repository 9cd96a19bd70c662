"""Telegram's HTML parse mode: text and entities (offsets in UTF-16 code units), or an
error for malformed markup, as the real server answers."""

from __future__ import annotations

import re

from testing.fake_bot_api.objects import JSON

_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_ATTR_RE = re.compile(r"""\s*([a-zA-Z0-9_-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")


class HtmlParseError(ValueError):
    """Raised for markup Telegram rejects with "can't parse entities"."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Bot API entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _unescape(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        named, dec, hexa = match.groups()
        if named:
            return _NAMED_HTML_ENTITIES[named]
        code = int(dec) if dec else int(hexa, 16)
        try:
            return chr(code)
        except (ValueError, OverflowError):
            return match.group(0)

    return _HTML_ENTITY_RE.sub(repl, text)


def parse_html(source: str) -> tuple[str, list[JSON]]:
    """Render Telegram-flavoured HTML into plain text plus message entities."""
    out: list[str] = []
    pos = 0  # current output offset in UTF-16 units
    stack: list[tuple[str, int, dict[str, str]]] = []
    entities: list[JSON] = []
    i, n = 0, len(source)

    def byte_offset(index: int) -> int:
        return len(source[:index].encode())

    while i < n:
        lt = source.find("<", i)
        chunk = source[i:] if lt == -1 else source[i:lt]
        if chunk:
            plain = _unescape(chunk)
            out.append(plain)
            pos += utf16_len(plain)
        if lt == -1:
            break
        begin, i = lt, lt + 1
        if source.startswith("/", i):
            end = source.find(">", i)
            if end == -1:
                raise HtmlParseError(f"Unclosed end tag at byte offset {byte_offset(begin)}")
            name = source[i + 1 : end].strip().lower()
            i = end + 1
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {byte_offset(begin)}")
            open_name, start, attrs = stack.pop()
            if name != open_name:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {byte_offset(begin)}, "
                    f'expected "</{open_name}>", found "</{name}>"'
                )
            if open_name == "code" and stack and stack[-1][0] == "pre":
                language = attrs.get("class", "")
                if language.startswith("language-"):
                    stack[-1][2]["language"] = language.removeprefix("language-")
                    continue
            entity = _make_entity(open_name, attrs, start, pos - start)
            if entity is not None:
                entities.append(entity)
            continue
        j = i
        while j < n and not source[j].isspace() and source[j] != ">":
            j += 1
        if j >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        name = source[i:j].lower()
        if name not in _HTML_ENTITY_TYPES:
            raise HtmlParseError(
                f'Unsupported start tag "{name}" at byte offset {byte_offset(begin)}'
            )
        end = source.find(">", j)
        if end == -1:
            raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        attrs = {
            m.group(1).lower(): _unescape(next((g for g in m.groups()[1:] if g is not None), ""))
            for m in _ATTR_RE.finditer(source[j:end])
        }
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError('Tag "span" must have class "tg-spoiler"')
        stack.append((name, pos, attrs))
        i = end + 1
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _make_entity(tag: str, attrs: dict[str, str], offset: int, length: int) -> JSON | None:
    if length <= 0:
        return None
    kind = _HTML_ENTITY_TYPES[tag]
    entity: JSON = {"type": kind, "offset": offset, "length": length}
    if tag == "a":
        href = attrs.get("href")
        if not href:
            return None
        entity["url"] = href
    elif tag == "pre" and attrs.get("language"):
        entity["language"] = attrs["language"]
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id", "")
    return entity
