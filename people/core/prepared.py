"""One-row reads compiled to SQL once per process, for the reads that every request makes.

Django compiles a queryset to SQL each time it runs it; for the session's user, read at every
request, compiling cost as much as the database's answer. `PreparedGet` compiles the queryset
once per database (with a marker in place of the looked-up value), then runs the same SQL with
the value in the marker's place and builds the instances as Django's own iterable does: the
same columns, converters and related objects (`select_related`).
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

# The value compiled in place of the real one: found again among the compiled parameters.
MARKER = uuid.UUID("7e0b1e55-0000-4000-8000-5ea1ed5ea1ed")


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    marker_index: int
    compiler: Any
    converters: dict
    init_list: list[str]
    model_slice: slice
    related_populators: list


class PreparedGet:
    """`get(value)`: the one row of `build(value)` (a queryset filtering on `field`), or None.

    `build` must put the value in the SQL as one parameter (an exact lookup on `field`), which
    is checked when it is compiled.
    """

    def __init__(self, build: Callable[[Any], QuerySet], *, field: Field):
        self._build = build
        self._field = field
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def get(self, value: Any) -> Model | None:
        """Raises the field's ValidationError for a value it cannot hold (a malformed id)."""
        value = self._field.to_python(value)
        queryset = self._build(MARKER)
        connection = connections[queryset.db]
        compiled = self._compiled.get(connection.alias) or self._compile(queryset, connection)
        params = list(compiled.params)
        params[compiled.marker_index] = self._field.get_db_prep_value(value, connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled.converters:
            row = next(iter(compiled.compiler.apply_converters([row], compiled.converters)))
        instance = compiled.compiler.query.model.from_db(
            queryset.db, compiled.init_list, row[compiled.model_slice]
        )
        for populator in compiled.related_populators:
            populator.populate(row, instance)
        return instance

    def _compile(self, queryset: QuerySet, connection: Any) -> _Compiled:
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        marker = self._field.get_db_prep_value(MARKER, connection)
        positions = [index for index, param in enumerate(params) if param == marker]
        if len(positions) != 1 or compiler.annotation_col_map:
            raise ValueError("PreparedGet needs one parameter for the looked-up value and no annotations")
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        compiled = _Compiled(
            sql=sql,
            params=tuple(params),
            marker_index=positions[0],
            compiler=compiler,
            converters=compiler.get_converters([column[0] for column in select[: compiler.col_count]]),
            init_list=[column[0].target.attname for column in select[fields[0] : fields[-1] + 1]],
            model_slice=slice(fields[0], fields[-1] + 1),
            related_populators=get_related_populators(klass_info, select, queryset.db),
        )
        with self._lock:
            self._compiled[connection.alias] = compiled
        return compiled
