"""The JSON parser of every API (client and resource server): bounded depth, Unicode text.

DRF's own parser lets Python's decoder recurse until a RecursionError (a 500) on deeply nested
bodies, and accepts lone surrogates (`"\\ud800"`) that no answer echoing them can encode. Here a
body is parsed by `people.core.untrusted.json_loads`: 400 for nesting deeper than
MAX_JSON_DEPTH or for text that is not Unicode. The body's size is bounded before parsing by
Django's DATA_UPLOAD_MAX_MEMORY_SIZE (413, see `errors.exception_handler`).
"""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from people.core.untrusted import UntrustedInput, json_loads


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            return json_loads(stream.read().decode(encoding))
        except UnicodeDecodeError as error:
            raise ParseError(
                detail={"detail": f"JSON parse error - the body is not {encoding} text: {error}", "code": "parse_error"}
            ) from None
        except UntrustedInput as error:
            raise ParseError(detail={"detail": str(error), "code": error.code}) from None
