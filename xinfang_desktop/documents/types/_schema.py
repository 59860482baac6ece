"""The shape of a document type's input, recorded while its parser reads the example input.

Every type reads its JSON input through `Reader` (field by field, each with its Chinese label). Run over the type's
own example with recording on, those calls describe the input exactly — keys, labels, kinds, required or not, the
choices and ranges — so the 文书 section can offer a form per type without a second description to keep in step.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

#: text · texts (a list of texts) · date · integer · flag · choice · object (nested fields) · objects (a table)
KINDS = ("text", "texts", "date", "integer", "flag", "choice", "object", "objects")


@dataclass
class FieldSpec:
    """One input field as its parser reads it."""

    key: str
    label: str
    kind: str
    required: bool = False
    multiline: bool = False
    options: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    fields: list[FieldSpec] = field(default_factory=list)  # of an object, or of each row of objects


_ROOT: ContextVar[list[FieldSpec] | None] = ContextVar("document_input_schema", default=None)


def root_schema() -> list[FieldSpec] | None:
    """The list a top-level Reader records into, when recording."""
    return _ROOT.get()


def note(schema: list[FieldSpec] | None, spec: FieldSpec) -> FieldSpec:
    """Record `spec` once per key (the first reading wins: `date` notes itself before `opt_date` does)."""
    if schema is None:
        return spec
    for known in schema:
        if known.key == spec.key:
            return known
    schema.append(spec)
    return spec


@contextmanager
def recording() -> Iterator[list[FieldSpec]]:
    """Record the fields read by the top-level Readers made inside the block."""
    schema: list[FieldSpec] = []
    token = _ROOT.set(schema)
    try:
        yield schema
    finally:
        _ROOT.reset(token)


__all__ = ["KINDS", "FieldSpec", "note", "recording", "root_schema"]
