"""SCIM filters (RFC 7644 §3.4.2.2): our parser, and their translation to Django `Q` objects.

A filter becomes one SQL condition: nothing is ever evaluated in Python over rows. Each resource
describes its filterable attributes with an `AttributeMap` (attribute path → column, type,
case rule); a complex filter on a multi-valued attribute (`members[value eq "…"]`) becomes an
`EXISTS` subquery, so that its conditions hold for the same value.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models import lookups as L
from django.db.models.functions import Lower
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from scim2_models import InvalidFilterException

MAX_FILTER_LENGTH = 1000
MAX_DEPTH = 20
COMPARE_OPS = ("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le")


# --- syntax ----------------------------------------------------------------------------------


@dataclass
class Compare:
    path: str  # lower case, sub-attribute joined by "."
    op: str  # one of COMPARE_OPS, or "pr"
    value: Any = None


@dataclass
class Logical:
    op: str  # "and" / "or"
    left: Any
    right: Any


@dataclass
class Not:
    operand: Any


@dataclass
class ValuePath:
    """`attr[filter]`: `filter` holds for one value of the multi-valued `attr`."""

    path: str
    filter: Any


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<punct>[()\[\]])
      | (?P<word>[A-Za-z0-9_:.$\-+]+)
    )""",
    re.VERBOSE,
)
_ATTR_PATH = re.compile(r"^(?:urn:[A-Za-z0-9:._\-]+:)?[A-Za-z][A-Za-z0-9_$\-]*(?:\.[A-Za-z][A-Za-z0-9_$\-]*)?$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")


def _invalid(detail: str, text: str) -> InvalidFilterException:
    return InvalidFilterException(detail=detail, filter=text)


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise _invalid(f"Unexpected character at position {position + 1}.", text)
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def _strip_urn(path: str, schemas: tuple[str, ...]) -> str:
    lowered = path.lower()
    for schema in schemas:
        prefix = schema.lower() + ":"
        if lowered.startswith(prefix):
            return lowered[len(prefix):]
    return lowered


class _Parser:
    def __init__(self, text: str, schemas: tuple[str, ...]):
        self.text = text
        self.schemas = schemas
        self.tokens = _tokenize(text)
        self.position = 0
        self.depth = 0

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise _invalid("The filter ends too early.", self.text)
        self.position += 1
        return token

    def expect_punct(self, char: str) -> None:
        kind, value = self.take()
        if kind != "punct" or value != char:
            raise _invalid(f'Expected "{char}", found "{value}".', self.text)

    def is_word(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1].lower() == word

    def parse(self) -> Any:
        if not self.tokens:
            raise _invalid("The filter is empty.", self.text)
        node = self.parse_or()
        if self.peek() is not None:
            raise _invalid(f'Unexpected "{self.peek()[1]}".', self.text)
        return node

    def parse_or(self) -> Any:
        node = self.parse_and()
        while self.is_word("or"):
            self.take()
            node = Logical("or", node, self.parse_and())
        return node

    def parse_and(self) -> Any:
        node = self.parse_not()
        while self.is_word("and"):
            self.take()
            node = Logical("and", node, self.parse_not())
        return node

    def parse_not(self) -> Any:
        if self.is_word("not"):
            self.take()
            token = self.peek()
            if token is None or token != ("punct", "("):
                raise _invalid('"not" must be followed by a filter in parentheses.', self.text)
            return Not(self.parse_atom())
        return self.parse_atom()

    def parse_atom(self) -> Any:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _invalid("The filter is nested too deeply.", self.text)
        try:
            token = self.peek()
            if token == ("punct", "("):
                self.take()
                node = self.parse_or()
                self.expect_punct(")")
                return node
            return self.parse_comparison()
        finally:
            self.depth -= 1

    def attr_path(self) -> str:
        kind, value = self.take()
        if kind != "word" or not _ATTR_PATH.match(value) or value.lower() in ("and", "or", "not"):
            raise _invalid(f'"{value}" is not an attribute name.', self.text)
        return _strip_urn(value, self.schemas)

    def parse_comparison(self) -> Any:
        path = self.attr_path()
        token = self.peek()
        if token == ("punct", "["):
            self.take()
            inner = self.parse_or()
            self.expect_punct("]")
            if "." in path:
                raise _invalid(f'"{path}" cannot hold a value filter.', self.text)
            return ValuePath(path, inner)
        kind, op = self.take()
        op = op.lower()
        if kind != "word" or op not in (*COMPARE_OPS, "pr"):
            raise _invalid(f'"{op}" is not a comparison operator.', self.text)
        if op == "pr":
            return Compare(path, "pr")
        return Compare(path, op, self.comp_value())

    def comp_value(self) -> Any:
        kind, raw = self.take()
        if kind == "string":
            try:
                return json.loads(raw)
            except ValueError:
                raise _invalid(f"{raw} is not a valid string.", self.text) from None
        if kind == "word":
            lowered = raw.lower()
            if lowered in ("true", "false"):
                return lowered == "true"
            if lowered == "null":
                return None
            if _NUMBER.match(raw):
                return float(raw) if any(c in raw for c in ".eE") else int(raw)
        raise _invalid(f'"{raw}" is not a value: quote strings.', self.text)


def parse(text: str, *, schemas: tuple[str, ...] = ()) -> Any:
    """The syntax tree of `text`, or InvalidFilterException (400 invalidFilter)."""
    if len(text) > MAX_FILTER_LENGTH:
        raise _invalid(f"The filter is longer than {MAX_FILTER_LENGTH} characters.", text[:50] + "…")
    return _Parser(text, schemas).parse()


# --- translation -----------------------------------------------------------------------------

STRING, BOOLEAN, DATETIME, UUID, CONSTANT = "string", "boolean", "datetime", "uuid", "constant"


@dataclass
class Attribute:
    """A filterable attribute: `column` (a field path of the queryset's model), its type and
    case rule; CONSTANT: every value has `constant` (when `column`, a non-null column, is set)."""

    column: str | None
    type: str = STRING
    case_exact: bool = False
    constant: Any = None


@dataclass
class MultiValued:
    """A multi-valued complex attribute stored as rows of another model, related to the
    filtered one by `link` (its field naming the outer row)."""

    queryset: Any  # callable returning the related QuerySet
    link: str
    attributes: dict[str, Attribute] = field(default_factory=dict)
    default: str = "value"


@dataclass
class AttributeMap:
    attributes: dict[str, Attribute | MultiValued]
    schemas: tuple[str, ...] = ()

    def translate(self, text: str) -> Q:
        return self._node(parse(text, schemas=self.schemas), text)

    def _node(self, node: Any, text: str) -> Q:
        if isinstance(node, Logical):
            left, right = self._node(node.left, text), self._node(node.right, text)
            return (left & right) if node.op == "and" else (left | right)
        if isinstance(node, Not):
            return ~self._node(node.operand, text)
        if isinstance(node, ValuePath):
            target = self.attributes.get(node.path)
            if isinstance(target, MultiValued):
                inner = AttributeMap(target.attributes)._node(node.filter, text)
                return Q(Exists(target.queryset().filter(**{target.link: OuterRef("pk")}).filter(inner)))
            prefixed = _prefix(node.filter, node.path)
            return self._node(prefixed, text)
        return self._compare(node, text)

    def _compare(self, node: Compare, text: str) -> Q:
        head, _dot, sub = node.path.partition(".")
        target = self.attributes.get(node.path) or self.attributes.get(head)
        if isinstance(target, MultiValued):
            attribute = target.attributes.get(sub or target.default)
            if attribute is None:
                raise _invalid(f'"{node.path}" cannot be filtered on.', text)
            condition = _condition(attribute, node, text)
            return Q(Exists(target.queryset().filter(**{target.link: OuterRef("pk")}).filter(condition)))
        if target is None or (sub and node.path not in self.attributes):
            raise _invalid(f'"{node.path}" cannot be filtered on.', text)
        return _condition(target, node, text)


def _prefix(node: Any, path: str) -> Any:
    if isinstance(node, Logical):
        return Logical(node.op, _prefix(node.left, path), _prefix(node.right, path))
    if isinstance(node, Not):
        return Not(_prefix(node.operand, path))
    if isinstance(node, Compare):
        return Compare(f"{path}.{node.path}", node.op, node.value)
    raise InvalidFilterException(detail="Value filters cannot be nested.")


NOTHING = Q(pk__in=[])
EVERYTHING = ~Q(pk__in=[])

_STRING_LOOKUPS = {
    "eq": L.Exact, "co": L.Contains, "sw": L.StartsWith, "ew": L.EndsWith,
    "gt": L.GreaterThan, "ge": L.GreaterThanOrEqual, "lt": L.LessThan, "le": L.LessThanOrEqual,
}
_ORDER_LOOKUPS = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte", "eq": "exact"}


def _condition(attribute: Attribute, node: Compare, text: str) -> Q:
    column, op, value = attribute.column, node.op, node.value
    if op == "pr":
        if attribute.type == CONSTANT:
            return Q(**{f"{column}__isnull": False}) if column else EVERYTHING
        present = Q(**{f"{column}__isnull": False})
        return present & ~Q(**{column: ""}) if attribute.type == STRING else present
    if op == "ne":
        different = ~_condition(attribute, Compare(node.path, "eq", value), text)
        if attribute.type in (STRING, UUID) and value is not None:  # SQL's NOT leaves NULLs out
            return different | Q(**{f"{column}__isnull": True})
        return different
    if value is None:
        if op == "eq":  # "eq null": no value (RFC 7644 treats it as "not pr")
            return ~_condition(attribute, Compare(node.path, "pr"), text)
        raise _invalid(f'"{op} null" is not a comparison.', text)
    if attribute.type == CONSTANT:
        matches = _python_compare(attribute.constant, op, value, attribute.case_exact)
        if not matches:
            return NOTHING
        return Q(**{f"{column}__isnull": False}) if column else EVERYTHING
    if attribute.type == BOOLEAN:
        if op != "eq" or not isinstance(value, bool):
            raise _invalid(f'"{node.path}" is compared with "eq true" or "eq false".', text)
        return Q(**{column: value})
    if attribute.type == DATETIME:
        if op not in _ORDER_LOOKUPS or not isinstance(value, str):
            raise _invalid(f'"{node.path}" is compared with eq, gt, ge, lt or le and a date.', text)
        moment = parse_datetime(value)
        if moment is None:
            raise _invalid(f'"{value}" is not a date and time (RFC 3339).', text)
        if is_naive(moment):
            moment = make_aware(moment, datetime.now().astimezone().tzinfo)
        return Q(**{f"{column}__{_ORDER_LOOKUPS[op]}": moment})
    if not isinstance(value, str):
        raise _invalid(f'"{node.path}" is compared with a string.', text)
    if attribute.type == UUID:
        if op != "eq":
            raise _invalid(f'"{node.path}" is compared with "eq" only.', text)
        try:
            return Q(**{column: uuid.UUID(value)})
        except ValueError:
            return NOTHING
    lookup = _STRING_LOOKUPS[op]
    if attribute.case_exact:
        return Q(lookup(F(column), Value(value)))
    return Q(lookup(Lower(column), Value(value.lower())))


def _python_compare(constant: Any, op: str, value: Any, case_exact: bool) -> bool:
    """Comparison with a constant attribute (the same for every row): decided once, not per row."""
    if not isinstance(value, str) or not isinstance(constant, str):
        return op == "eq" and constant == value
    left, right = (constant, value) if case_exact else (constant.lower(), value.lower())
    return {
        "eq": left == right, "co": right in left, "sw": left.startswith(right), "ew": left.endswith(right),
        "gt": left > right, "ge": left >= right, "lt": left < right, "le": left <= right,
    }[op]


def apply(queryset: QuerySet, attribute_map: AttributeMap, text: str | None) -> QuerySet:
    if text is None:
        return queryset
    return queryset.filter(attribute_map.translate(text))
