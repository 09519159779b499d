"""One-row reads compiled to SQL once per process, for the reads that every request makes.

Django compiles a queryset to SQL each time it runs it; for the session's user, read at every
request, compiling cost as much as the database's answer. `PreparedGet` compiles the queryset
once per database (with markers in place of the looked-up values), then runs the same SQL with
the values in the markers' places and builds the instances as Django's own iterable does: the
same columns, converters, annotations and related objects (`select_related`). On PostgreSQL
the server prepares the statement too, once per connection (`people.core.postgresql`).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Field, Model, QuerySet
from django.db.models.query import get_related_populators

# The values compiled in place of the real ones, found again among the compiled parameters: the
# first is MARKER, the next ones follow it.
MARKER = uuid.UUID("7e0b1e55-0000-4000-8000-5ea1ed5ea1ed")


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    # (position in params, name of the value, whether the position holds the value as prepared
    # for the database rather than as the Python value)
    slots: tuple[tuple[int, str, bool], ...]
    compiler: Any
    converters: dict
    init_list: list[str]
    model_slice: slice
    related_populators: list
    annotations: tuple[tuple[str, int], ...]


class PreparedGet:
    """`get(**values)`: the one row of `build(**values)`, or None.

    `fields` name the values and the model field that holds each (`user=User._meta.pk`). Each
    value must reach the SQL as parameters only (lookups, or raw SQL given the field's
    database value), which is checked when it is compiled. Annotations are kept.
    """

    def __init__(self, build: Callable[..., QuerySet], **fields: Field):
        self._build = build
        self._fields = fields
        self._markers = {name: uuid.UUID(int=MARKER.int + index) for index, name in enumerate(fields)}
        self._alias: str | None = None
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def get(self, **values: Any) -> Model | None:
        """Raises a field's ValidationError for a value it cannot hold (a malformed id)."""
        values = {name: self._fields[name].to_python(value) for name, value in values.items()}
        if self._alias is None:  # the database the queryset reads from
            self._alias = self._build(**self._markers).db
        connection = connections[self._alias]
        compiled = self._compiled.get(self._alias) or self._compile(self._build(**self._markers), connection)
        params = list(compiled.params)
        for index, name, prepared in compiled.slots:
            value = values[name]
            params[index] = self._fields[name].get_db_prep_value(value, connection) if prepared else value
        # On PostgreSQL, a statement the server prepares once per connection (people.core.postgresql).
        prepared_cursor = getattr(connection, "prepared_cursor", None)
        with prepared_cursor() if prepared_cursor else connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled.converters:
            row = next(iter(compiled.compiler.apply_converters([row], compiled.converters)))
        instance = compiled.compiler.query.model.from_db(
            self._alias, compiled.init_list, row[compiled.model_slice]
        )
        for populator in compiled.related_populators:
            populator.populate(row, instance)
        for name, position in compiled.annotations:
            setattr(instance, name, row[position])
        return instance

    def _compile(self, queryset: QuerySet, connection: Any) -> _Compiled:
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = []
        for name, marker in self._markers.items():
            prepared = self._fields[name].get_db_prep_value(marker, connection)
            found = [
                (index, name, param != marker)
                for index, param in enumerate(params)
                if param in (marker, prepared)
            ]
            if not found:
                raise ValueError(f"PreparedGet: the value {name!r} is not a parameter of the query")
            slots.extend(found)
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        compiled = _Compiled(
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            compiler=compiler,
            converters=compiler.get_converters([column[0] for column in select[: compiler.col_count]]),
            init_list=[column[0].target.attname for column in select[fields[0] : fields[-1] + 1]],
            model_slice=slice(fields[0], fields[-1] + 1),
            related_populators=get_related_populators(klass_info, select, queryset.db),
            annotations=tuple(compiler.annotation_col_map.items()),
        )
        with self._lock:
            self._compiled[connection.alias] = compiled
        return compiled
