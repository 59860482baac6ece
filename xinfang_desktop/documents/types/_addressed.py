"""Documents addressed to a unit about an accusation (R-LC-07): never to the accused unit or a unit under it, and
never naming the accuser; whatever the input says, the stored case decides (条例 第三十条第三款、第四十六条).

`guard_addressed` runs before a document is numbered (document_store.issue_document): it refuses an addressee in
the case's accused scope and returns the input with the accuser's name, ID number, phone and address replaced by
the confidentiality phrase. `conceal_accuser` is that replacement on its own (pure).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from xinfang_desktop.core.accusation_guard import CONFIDENTIAL, AccusedScope, accused_scope
from xinfang_desktop.core.errors import FieldProblem, ValidationError

if TYPE_CHECKING:
    from xinfang_desktop.persistence.database import Database

#: The document types sent to a unit, and the input keys (with their labels) naming the units they go to.
UNIT_ADDRESSEES: dict[str, tuple[tuple[str, str], ...]] = {
    "transfer_letter": (("to_unit", "承办单位"),),
    "assignment_form": (("to_unit", "承办单位"),),
    "supervision_form": (("to_unit", "被督办单位"),),
    "urge_notice": (("to_unit", "承办单位"),),
    "explanation_request": (("to_unit", "被预警单位"),),
    "warning_slip": (("to_unit", "被预警单位"),),
    "package_notice": (("to_units", "主送单位"),),
}
#: The types whose input carries the accusation flag (their `UnitAddressing` prints the confidentiality note).
READS_ACCUSATION = frozenset({"transfer_letter", "assignment_form", "supervision_form", "urge_notice"})
_IDENTITY = ("address", "id_number", "phone", "name")


def conceal_accuser(content: Mapping[str, Any], *, flag: bool) -> dict[str, Any]:
    """The input with the petitioner reduced to the confidentiality phrase and the summary cleared of their name,
    ID number, phone and address; `flag`: also mark it an accusation (types that read ``accusation``)."""
    out = dict(content)
    person = content.get("petitioner")
    hidden: dict[str, str] = {}
    if isinstance(person, Mapping):
        for key in _IDENTITY:
            value = person.get(key)
            if isinstance(value, str) and len(value.strip()) >= 2:
                hidden[value.strip()] = "检举控告人" if key == "name" else "（略）"
        out["petitioner"] = {"name": CONFIDENTIAL}
    summary = content.get("summary")
    if isinstance(summary, str):
        for secret in sorted(hidden, key=len, reverse=True):  # the address before a name it may contain
            summary = summary.replace(secret, hidden[secret])
        out["summary"] = summary
    if flag:
        out["accusation"] = True
    return out


def _merged(a: AccusedScope, b: AccusedScope) -> AccusedScope:
    return AccusedScope({**b.via, **a.via}, (*a.accused, *b.accused))


def _addressees(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def guard_addressed(
    db: Database, type_id: str, content: Mapping[str, Any], case_number: str | None = None
) -> dict[str, Any]:
    """Refuse a document to an accused unit (or one under it); conceal the accuser on any document to a unit.

    An accusation is known from the stored case (`case_number`, else the input's ``case_number``: its purpose
    and accused units, resolved with the register's hierarchy) or from the input's ``accusation`` and
    ``accused_units``. Raises ValidationError before anything is numbered or written.
    """
    keys = UNIT_ADDRESSEES.get(type_id)
    if not keys:
        return dict(content)
    from xinfang_desktop.persistence.units import case_accusation, load_register, unit_refusal

    number = case_number or (content.get("case_number") if isinstance(content.get("case_number"), str) else None)
    with db.read_session() as session:
        register = load_register(session)
        stored = case_accusation(session, number.strip()) if number else None
    typed = [n for n in _addressees(content.get("accused_units")) if n.strip()]
    scope = accused_scope(register, [(n, None) for n in typed])
    accusation = content.get("accusation") is True or bool(typed)
    if stored is not None:
        accusation = accusation or stored[0]
        scope = _merged(stored[1], scope)
    if not accusation:
        return dict(content)
    problems = [
        FieldProblem(key, label, why)
        for key, label in keys
        for name in _addressees(content.get(key))
        if (why := unit_refusal(register, scope, name, role=label))
    ]
    if problems:
        raise ValidationError(problems)
    return conceal_accuser(content, flag=type_id in READS_ACCUSATION)
