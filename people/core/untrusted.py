"""Reading what others send us, with bounds: JSON depth and text, HTTP answer sizes.

Request bodies and the provider's answers are read through these functions, so that no input
can make the server recurse until it crashes (deeply nested JSON), hold text it cannot encode
back (lone surrogates such as `"\\ud800"` are not Unicode text: echoing them breaks the UTF-8
rendering of the answer), or read a peer's answer of any size into memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import requests

# Deeper than any document People reads (contact data, provider answers) and far below the
# depth where Python's JSON decoder raises RecursionError (about 1,000).
MAX_JSON_DEPTH = 32


class UntrustedInput(ValueError):
    """Input refused before use; `code` is machine-readable, the message says how to fix it."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def json_loads(text: str | bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Strict JSON (no NaN/Infinity), at most `max_depth` nested arrays/objects, valid Unicode."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise UntrustedInput(too_deep_message(max_depth), code="json_too_deep") from None
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise UntrustedInput(f"JSON parse error - {error}", code="parse_error") from None
    check_json_tree(value, max_depth=max_depth)
    return value


def too_deep_message(max_depth: int) -> str:
    return f"JSON nested deeper than {max_depth} levels of arrays and objects is refused."


def check_json_tree(value: Any, *, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Walk without recursion: bounded depth, and every key and string valid Unicode."""
    for item, _path, depth in _walk(value):
        if isinstance(item, dict | list) and depth > max_depth:
            raise UntrustedInput(too_deep_message(max_depth), code="json_too_deep")
        if isinstance(item, str) and not is_unicode_text(item):
            raise UntrustedInput(
                "JSON text holds a lone surrogate (such as \\ud800), which is not valid Unicode: "
                "escape characters outside the Basic Multilingual Plane as surrogate pairs.",
                code="invalid_unicode",
            )


def is_unicode_text(text: str) -> bool:
    """False when `text` holds a lone surrogate: such a string cannot be encoded to UTF-8."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def find_nul(value: Any) -> str | None:
    """The dotted path of the first key or string holding a NUL character (refused by
    PostgreSQL in text and jsonb), or None."""
    for item, path, _depth in _walk(value):
        if isinstance(item, str) and "\x00" in item:
            return ".".join(path).replace("\x00", "\\u0000") or "(root)"
    return None


def _walk(value: Any) -> Iterator[tuple[Any, tuple[str, ...], int]]:
    """(item, path, depth) for every value and key; depth 1 is the top-level array or object."""
    stack: list[tuple[Any, tuple[str, ...], int]] = [(value, (), 1)]
    while stack:
        item, path, depth = stack.pop()
        yield item, path, depth
        if isinstance(item, dict):
            for key, child in item.items():
                yield key, (*path, str(key)), depth
                stack.append((child, (*path, str(key)), depth + 1))
        elif isinstance(item, list):
            stack.extend((child, (*path, str(index)), depth + 1) for index, child in enumerate(item))


def read_capped(response: requests.Response, *, limit: int) -> bytes:
    """The body of a streamed response (`stream=True`), refused beyond `limit` bytes.

    A larger Content-Length is refused before reading; a body that lies about its length (or
    has none) is read in chunks and refused as soon as it passes the limit.
    """
    try:
        declared = int(response.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    try:
        if declared > limit:
            raise UntrustedInput(f"answer of {declared} bytes, over the limit of {limit}", code="too_large")
        body = bytearray()
        for chunk in response.iter_content(chunk_size=8192):
            body += chunk
            if len(body) > limit:
                raise UntrustedInput(f"answer over the limit of {limit} bytes", code="too_large")
        return bytes(body)
    finally:
        response.close()
