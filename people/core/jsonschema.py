"""JSON schema validation of JSON fields, with messages that name the failing path."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from django.core.exceptions import ValidationError

from people.core.untrusted import find_nul


@cache
def load_schema(path: str) -> dict[str, Any]:
    schema = json.loads(Path(path).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def validate(value: Any, schema_path: str | Path) -> None:
    """Raise a Django ValidationError: "Validation error in 'emails.0.value': ...".

    NUL characters are refused first, in keys too: a schema cannot express it, and PostgreSQL's
    jsonb refuses them (a database error, not a message, if they got that far).
    """
    where = find_nul(value)
    if where is not None:
        raise ValidationError(
            f"Validation error in '{where}': null characters (\\u0000) are not allowed.", code="null_characters"
        )
    validator = jsonschema.Draft202012Validator(load_schema(str(schema_path)), format_checker=jsonschema.FormatChecker())
    error = jsonschema.exceptions.best_match(validator.iter_errors(value))
    if error is not None:
        where = ".".join(str(part) for part in error.absolute_path) or "(root)"
        raise ValidationError(f"Validation error in '{where}': {error.message}", code="schema")
