"""`xinfang doc types|sample|render|list`: official documents — the types, example inputs, issuing a document.

`render` issues the document: it takes the next number of its type for the year, stores the file in the data
directory with its SHA-256 (linked to the case and the event that produced it), writes an audit entry and copies the
file to `-o`. `--reissue NUMBER` makes a new version of an issued document (same number; the old file stays).
The same input rendered in the other format is the same document: no new number. Warnings for the clerk (dates
resting on a year without holiday data …) go to stderr — and into `warnings` with `--json` — never onto the paper.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, read_json_input
from xinfang_desktop.commands.base import today_arg as _today


def _types(ctx: Context) -> Result:
    from xinfang_desktop.documents.case_documents import derivable
    from xinfang_desktop.documents.types import all_specs

    specs = all_specs()
    data = [{"id": s.type_id, "label": s.label} for s in specs]
    lines = [f"{s.type_id:<32}{s.label}{'' if derivable(s.type_id) else '（仅 --input）'}" for s in specs]
    return Result(data, "\n".join(lines))


def _sample(ctx: Context) -> Result:
    import json

    from xinfang_desktop.documents.types import spec

    try:
        found = spec(ctx.args.type)
    except Exception as exc:
        raise UsageError(str(exc), field="type") from None
    data = found.sample()
    return Result(data, json.dumps(data, ensure_ascii=False, indent=2))


def _copy_out(source: Path, target: Path) -> None:
    """Copy the stored file's plain content to the user's path (decrypted when the archive is encrypted, issue 17)
    without leaving a half-written file there (a temporary file, fsync, rename)."""
    from xinfang_desktop.persistence.encryption import copy_plain

    copy_plain(source, target)


def _format(given: str | None, output: str) -> str:
    """The format asked for, else the one `-o` names by its extension (a `.docx` was written as a PDF before)."""
    named = Path(output).suffix.lower().lstrip(".")
    if given and named in ("pdf", "docx") and named != given:
        raise UsageError(f"输出文件“{output}”的扩展名与 --format {given} 不符", field="format")
    return given or (named if named in ("pdf", "docx") else "pdf")


def _render(ctx: Context) -> Result:
    from xinfang_desktop.core.errors import DomainError
    from xinfang_desktop.documents.case_documents import CLI_HINT, input_from_case, merge
    from xinfang_desktop.documents.document_store import issue_document, office_info
    from xinfang_desktop.documents.types import spec

    a = ctx.args
    if not a.case and not a.input:
        raise UsageError("请指定 --case NUMBER（由信访事项生成）或 --input FILE.json（文书内容）", field="input")
    try:
        document_type = spec(a.type)
    except Exception as exc:
        raise UsageError(str(exc), field="type") from None
    output = Path(a.output)
    if output.is_dir():
        raise UsageError(f"-o 应为文件路径，而“{output}”是一个文件夹", field="output")
    extra: Any = read_json_input(a.input) if a.input else {}
    if not isinstance(extra, dict):
        raise UsageError("输入应为一个 JSON 对象（{…}）", field="input")
    db = ctx.database()
    office = office_info(db)
    event_seq: int | None = None
    data: dict[str, Any] = extra
    if a.case:
        from xinfang_desktop.persistence.calendar_store import load_calendar
        from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds

        calendar, thresholds = load_calendar(db), deadline_thresholds(db)
        with db.read_session() as session:
            try:
                base, event_seq = input_from_case(
                    session,
                    document_type.type_id,
                    a.case,
                    today=_today(ctx),
                    calendar=calendar,
                    thresholds=thresholds,
                    office=office,
                )
            except DomainError as exc:  # the command line's own way out, after the message the window shows too
                hint = exc.details.pop(CLI_HINT, None)
                if hint:
                    exc.message = f"{exc.message}（命令行：{hint}）"
                raise
        data = merge(base, extra)
    issued = issue_document(
        db,
        document_type.type_id,
        data,
        fmt=_format(a.format, a.output),
        office=office,
        case_number=a.case,
        event_seq=event_seq,
        reissue_of=a.reissue,
    )
    _copy_out(issued.path, output)
    result = {
        "path": str(output),
        "number": issued.number,
        "sha256": issued.sha256,
        "pages": issued.pages,
        "fonts": issued.fonts,
        **{k: v for k, v in issued.to_json().items() if k not in ("number", "sha256", "pages", "fonts")},
    }
    version = f"（第{issued.version}版）" if issued.version > 1 else ""
    other = f"（与已出具的 {(issued.same_as or '').upper()} 为同一份文书，沿用文号）" if issued.same_as else ""
    lines = [
        f"已出具{issued.label} {issued.number}{version}{other}：{output}（{issued.pages}页）",
        f"存档：{issued.path}",
        f"SHA-256：{issued.sha256}",
        "字体：" + "，".join(f"{role} {font}" for role, font in issued.fonts.items()),
    ]
    for role, found in issued.fallbacks.items():
        lines += [f"提示：{role} 中“{chars}”由 {font} 补字" for font, chars in found.items()]
    for warning in issued.warnings:  # for the clerk, on the console: nothing of it is printed on the document
        sys.stderr.write(f"注意：{warning}\n")
    return Result(result, "\n".join(lines))


def _batch(ctx: Context) -> Result:
    from xinfang_desktop.documents.batch import issue_for_cases

    a = ctx.args
    numbers = list(a.numbers or [])
    if a.from_file:
        text = sys.stdin.read() if a.from_file == "-" else Path(a.from_file).read_text(encoding="utf-8")
        numbers += [line.strip() for line in text.splitlines() if line.strip()]
    if not numbers:
        raise UsageError("请给出信访事项编号，或用 --from FILE 提供编号清单（每行一个）", field="numbers")

    def progress(done: int, total: int) -> None:
        if not a.json and (done == total or done % 50 == 0):
            sys.stderr.write(f"\r已处理 {done}/{total}")

    result = issue_for_cases(ctx.database(), a.type, numbers, today=_today(ctx), fmt=a.format, progress=progress)
    if not a.json:
        sys.stderr.write("\n")
    lines = [f"已出具 {len(result.issued)} 份，未出具 {len(result.refused)} 份"]
    lines += [f"  {number}：{reason}" for number, reason in result.refused.items()]
    return Result(result.to_json(), "\n".join(lines))


def _list(ctx: Context) -> Result:
    from xinfang_desktop.documents.document_store import document_rows

    with ctx.database().read_session() as session:
        rows = document_rows(session, case_number=ctx.args.case)
    lines = [f"{r['number']}  v{r['version']}  {r['label']}  {r['case_number'] or '—'}  {r['path']}" for r in rows]
    return Result({"documents": rows}, "\n".join(lines) or "尚未出具文书")


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    doc = sub.add_parser("doc", help="公文：文书类型、示例输入、出具文书（PDF / DOCX）")
    ds = doc.add_subparsers(dest="doc_command", metavar="ACTION")

    p = ds.add_parser("types", parents=[common], help="列出文书类型（id 与中文名称）")
    p.set_defaults(handler=_types)

    p = ds.add_parser("sample", parents=[common], help="一种文书的示例输入（JSON），可修改后用于 render --input")
    p.add_argument("type", metavar="TYPE")
    p.set_defaults(handler=_sample)

    p = ds.add_parser("render", parents=[common], help="出具文书：编号、存档（含 SHA-256）、审计，并写到 -o")
    p.add_argument("type", metavar="TYPE")
    p.add_argument("--case", metavar="NUMBER", help="由该信访事项生成（可与 --input 同用：输入中的字段优先）")
    p.add_argument("--input", metavar="FILE|-", help="文书内容（JSON），- 表示标准输入")
    p.add_argument("--format", choices=("pdf", "docx"), help="输出格式（默认按 -o 的扩展名，其余为 pdf）")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="输出文件")
    p.add_argument("--reissue", metavar="NUMBER", help="重新出具该文号的文书（新版本，原文件保留）")
    p.add_argument("--today", metavar="DATE", help="以此日期为今天（默认系统日期）")
    p.set_defaults(handler=_render)

    p = ds.add_parser("batch", parents=[common], help="为多件信访事项批量出具同一种文书（每件单独编号、存档）")
    p.add_argument("type", metavar="TYPE")
    p.add_argument("numbers", nargs="*", metavar="NUMBER")
    p.add_argument("--from", dest="from_file", metavar="FILE|-", help="编号清单，每行一个")
    p.add_argument("--format", choices=("pdf", "docx"), default="pdf")
    p.add_argument("--today", metavar="DATE", help="以此日期为今天（默认系统日期）")
    p.set_defaults(handler=_batch)

    p = ds.add_parser("list", parents=[common], help="已出具的文书（全部版本）")
    p.add_argument("--case", metavar="NUMBER", help="只列出该信访事项的文书")
    p.set_defaults(handler=_list)
