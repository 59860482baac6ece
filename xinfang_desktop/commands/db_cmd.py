"""`xinfang init`, `xinfang db upgrade`, `xinfang db check`: create, upgrade and inspect the database and its files."""

from __future__ import annotations

import argparse
from typing import Any

from xinfang_desktop.commands.base import Context, Result


def _init(ctx: Context) -> Result:
    from xinfang_desktop.persistence.migrate import schema_state

    db = ctx.database()
    state = schema_state(db)
    seeded: dict[str, int] = {}
    try:
        from xinfang_desktop.persistence.reference_data import seed_reference_data
    except ImportError:  # reference data not built yet
        pass
    else:
        seeded = seed_reference_data(db, example_county=not ctx.args.no_example)
    data = {"database": db.display_name, "dialect": db.dialect, "schema": state.to_json(), "seeded": seeded}
    added = "，".join(f"{k} {v} 条" for k, v in seeded.items() if v)
    text = f"数据库已就绪：{db.display_name}（数据结构版本 {state.current}）" + (
        f"；已载入参考数据：{added}" if added else ""
    )
    return Result(data, text)


def _upgrade(ctx: Context) -> Result:
    from xinfang_desktop.persistence.database import Database
    from xinfang_desktop.persistence.engine import database_url
    from xinfang_desktop.persistence.migrate import SchemaState, ensure_current, schema_state

    opened = ctx.opened_database()
    if opened is not None and opened.upgraded_from is not None:
        # Checking the acting account (a database with logins) opened the file, which upgraded it, after a backup.
        revision, copy = opened.upgraded_from
        state = schema_state(opened)
        before = SchemaState(revision, state.head, ())
        after = SchemaState(state.current, state.head, (), copy)
        db = opened
    else:
        db = Database(database_url(ctx.db_target))
        try:
            before = schema_state(db)
            after = ensure_current(db)
        finally:
            db.dispose()
    data = {"database": db.display_name, "before": before.current, "after": after.current, "backup": after.backup}
    if before.up_to_date:
        return Result(data, f"数据结构已是最新版本（{after.current}），无需升级")
    backup = f"；升级前已备份到 {after.backup}" if after.backup else ""
    return Result(data, f"已将数据结构从 {before.current or '空库'} 升级到 {after.current}{backup}")


def _check(ctx: Context) -> Result:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from xinfang_desktop.persistence.database import Database
    from xinfang_desktop.persistence.engine import database_url
    from xinfang_desktop.persistence.migrate import schema_state
    from xinfang_desktop.persistence.schema import metadata
    from xinfang_desktop.persistence.search_schema import is_search_object

    db = Database(database_url(ctx.db_target))
    try:
        state = schema_state(db)
        diffs: list[Any] = []
        if state.up_to_date:
            with db.engine.connect() as conn:
                mc = MigrationContext.configure(
                    conn,
                    opts={
                        "include_object": lambda obj, name, type_, refl, other: not (name and is_search_object(name))
                    },
                )
                diffs = compare_metadata(mc, metadata)
        integrity = None
        if db.is_sqlite and state.current is not None:
            with db.engine.connect() as conn:
                integrity = conn.exec_driver_sql("PRAGMA quick_check").scalar()
        files = None
        if state.up_to_date and integrity in (None, "ok"):
            from xinfang_desktop.persistence.archive import check_archive

            files = check_archive(db)  # every stored document and attachment re-hashed (issue 17)
        statuses = None
        if state.up_to_date and integrity in (None, "ok"):
            from xinfang_desktop.persistence.consistency import check_statuses

            statuses = check_statuses(db)
        audit = None
        if state.up_to_date and integrity in (None, "ok"):
            from xinfang_desktop.persistence.consistency import check_audit

            audit = check_audit(db)  # the HMAC chain, its guards, case events without an audit entry (issue 17)
    finally:
        db.dispose()
    files_ok = files is None or files.ok
    statuses_ok = statuses is None or statuses.ok
    audit_ok = audit is None or audit.ok
    ok = state.up_to_date and not diffs and integrity in (None, "ok") and files_ok and statuses_ok and audit_ok
    data = {
        **state.to_json(),
        "differences": [str(d) for d in diffs],
        "integrity": integrity,
        "files": files.to_json() if files is not None else None,
        "statuses": statuses.to_json() if statuses is not None else None,
        "audit": audit.to_json() if audit is not None else None,
        "ok": ok,
    }
    if ok:
        checked = f"；存档文件 {files.checked} 个均与记录的校验值一致" if files is not None and files.checked else ""
        if audit is not None:
            checked += f"；审计链完整（{audit.chain.entries} 条记录、{audit.chain.anchors} 个锚点）"
        text = f"数据库 {db.display_name} 结构完整，版本 {state.current}（最新）{checked}"
    elif not state.up_to_date:
        text = f"数据库版本 {state.current or '空库'}，最新为 {state.head}：需要升级（xinfang db upgrade）"
    elif (not files_ok or not statuses_ok or not audit_ok) and not diffs and integrity in (None, "ok"):
        text = "；".join(
            part
            for part in (
                _files_text(files) if files is not None and not files.ok else "",
                _statuses_text(statuses) if statuses is not None and not statuses.ok else "",
                f"审计日志有问题：{audit.text()}" if audit is not None and not audit.ok else "",
            )
            if part
        )
    else:
        text = f"数据库结构与程序不一致：{'；'.join(map(str, diffs)) or integrity}"
    return Result(data, text, exit_code=0 if ok else 1)


def _status_label(value: str) -> str:
    from xinfang_desktop.core.codes import CaseStatus

    try:
        return f"“{CaseStatus(value).label}”"
    except ValueError:
        return f"“{value}”"


def _statuses_text(statuses: Any) -> str:
    parts = []
    if statuses.contradicted:
        shown = "、".join(
            f"{e['number']}（记为{_status_label(e['status'])}，办理记录为{_status_label(e['events_say'])}）"
            for e in statuses.examples
        )
        parts.append(f"{statuses.contradicted} 件事项的状态与办理记录不符：{shown}")
    if statuses.without_events:
        parts.append(f"{statuses.without_events} 件事项没有任何办理记录")
    return "数据不一致：" + "；".join(parts)


def _files_text(files: Any) -> str:
    parts = []
    if files.changed:
        parts.append(f"{len(files.changed)} 个文件已被改动（与出具时的校验值不符）：{'、'.join(files.changed[:10])}")
    if files.missing:
        parts.append(f"{len(files.missing)} 个文件缺失：{'、'.join(files.missing[:10])}")
    if files.foreign_marker:
        parts.append(f"存档目录 {files.root} 属于另一个数据库（{files.foreign_marker}）")
    return "存档文件有问题：" + "；".join(parts) + "。请从备份恢复（xinfang backup restore）。"


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common], help="创建或升级数据库，并载入参考数据")
    p.add_argument("--no-example", action="store_true", help="不载入示例县的区划和单位")
    p.set_defaults(handler=_init)
    db = sub.add_parser("db", help="数据库结构：升级、检查")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION")
    dbsub.add_parser("upgrade", parents=[common], help="升级数据结构（升级前自动备份）").set_defaults(handler=_upgrade)
    dbsub.add_parser("check", parents=[common], help="检查数据结构、完整性和存档文件").set_defaults(handler=_check)
