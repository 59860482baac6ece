"""The frame around a type's body: issuer mark, number, addressee, signature, contact line and provisional flag."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from xinfang_desktop.documents.model import Block, FooterBlock, Layout, OfficialDocument, Signature
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.public_text import public_document
from xinfang_desktop.documents.types._common import CaseHeader, Deadline, blocks, case_metadata, contact_note


def office_document(
    office: OfficeInfo,
    *,
    type_id: str,
    title: str,
    layout: Layout,
    number: str | None,
    content: Sequence[Block],
    issued_on: date,
    addressee: str | None = None,
    organ: str | None = None,
    attachments: tuple[str, ...] = (),
    note: str | None = None,
    footer: FooterBlock | None = None,
    deadlines: Sequence[Deadline | None] = (),
    metadata: dict[str, str],
) -> OfficialDocument:
    """A document issued and signed by the office under its mark — or by ``organ``, the organ that decided an
    opinion, under its own name. It is provisional when any clock it prints is (R-TM-05): a warning for the clerk,
    nothing printed. Texts that came from the clerk's records lose their rule IDs here (:func:`public_document`)."""
    signer = office.name if organ is None else organ
    doc = OfficialDocument(
        type_id=type_id,
        title=title,
        layout=layout,
        issuer_mark=office.mark if signer == office.name else signer,
        document_number=number,
        addressee=addressee,
        body=blocks(content),
        attachments=attachments,
        signature=Signature(issuers=(signer,), signed_on=issued_on),
        note=note,
        footer=footer,
        provisional=any(d.provisional for d in deadlines if d),
        metadata=metadata,
    )
    return public_document(doc)


def letter_to_petitioner(
    office: OfficeInfo,
    case: CaseHeader,
    *,
    type_id: str,
    title: str,
    number: str | None,
    content: Sequence[Block],
    issued_on: date,
    organ: str | None = None,
    deadlines: Sequence[Deadline | None] = (),
    metadata: dict[str, str] | None = None,
) -> OfficialDocument:
    """A 信函 to the petitioner by name, with the office's contact line: the notices and the opinions.
    ``metadata`` defaults to the case number alone."""
    return office_document(
        office,
        type_id=type_id,
        title=title,
        layout=Layout.LETTER,
        number=number,
        content=content,
        issued_on=issued_on,
        addressee=f"{case.petitioner.name}：",
        organ=organ,
        note=contact_note(office),
        deadlines=deadlines,
        metadata=case_metadata(case.case_number) if metadata is None else metadata,
    )
