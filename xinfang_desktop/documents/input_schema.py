"""The input form of each document type: the fields its parser reads, recorded over its own example (see _schema)."""

from __future__ import annotations

import contextlib
from functools import cache

from xinfang_desktop.core.errors import ValidationError
from xinfang_desktop.documents.types import spec
from xinfang_desktop.documents.types._schema import FieldSpec, recording


@cache
def input_schema(type_id: str) -> tuple[FieldSpec, ...]:
    """Every field of `type_id`'s input, in the order its parser reads them (nested objects and tables included)."""
    document_type = spec(type_id)
    # An example that no longer passes is a bug the type tests catch; the fields read until then still make a form.
    with recording() as fields, contextlib.suppress(ValidationError):
        document_type.from_json(document_type.sample())
    return tuple(fields)


__all__ = ["FieldSpec", "input_schema"]
