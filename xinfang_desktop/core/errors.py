"""Domain errors: each carries a Chinese message for people and, where it applies, the field it concerns."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the request; the message is Chinese and safe to show to a user."""

    def __init__(self, message: str, *, field: str | None = None, details: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"message": self.message}
        if self.field:
            data["field"] = self.field
        data.update(self.details)
        return data


class ValidationError(DomainError):
    """Input failed validation; `errors` lists every problem found (field and reason)."""

    def __init__(self, errors: list[FieldProblem]) -> None:
        self.errors = errors
        text = "；".join(str(e) for e in errors) or "输入无效"
        super().__init__(text, field=errors[0].field if errors else None)

    def to_json(self) -> dict[str, object]:
        return {"message": self.message, "errors": [e.to_json() for e in self.errors]}


class NotFoundError(DomainError):
    """A referenced record (case number, unit name, …) does not exist."""


class ConflictError(DomainError):
    """The request conflicts with stored data (a duplicate, a stale version, a newer schema)."""


class FieldProblem:
    """One problem with one input field: the field's key, its Chinese name and the reason."""

    __slots__ = ("field", "label", "reason")

    def __init__(self, field: str, label: str, reason: str) -> None:
        self.field = field
        self.label = label
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.label}：{self.reason}"

    def __repr__(self) -> str:
        return f"FieldProblem({self.field!r}, {self.label!r}, {self.reason!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldProblem) and (self.field, self.reason) == (other.field, other.reason)

    def __hash__(self) -> int:
        return hash((self.field, self.reason))

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "label": self.label, "reason": self.reason}
