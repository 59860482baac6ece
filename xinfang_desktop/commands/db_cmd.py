"""`xinfang init`, `xinfang db upgrade`, `xinfang db check`: create, upgrade and inspect the database and its files;
`xinfang db encrypt`, `xinfang db rekey`: encryption at rest (issue 17, persistence.encryption)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError


def _init(ctx: Context) -> Result:
    from xinfang_desktop.persistence.migrate import schema_state

    encrypted = _prepare_encrypted_init(ctx) if getattr(ctx.args, "encrypt", False) else False
    db = ctx.database()
    state = schema_state(db)
    seeded: dict[str, int] = {}
    try:
        from xinfang_desktop.persistence.reference_data import seed_reference_data
    except ImportError:  # reference data not built yet
        pass
    else:
        seeded = seed_reference_data(db, example_county=not ctx.args.no_example)
    data: dict[str, Any] = {
        "database": db.display_name,
        "dialect": db.dialect,
        "schema": state.to_json(),
        "seeded": seeded,
    }
    if db.path is not None:
        from xinfang_desktop.persistence.encryption import is_encrypted

        data["encrypted"] = is_encrypted(db.path)
    added = "，".join(f"{k} {v} 条" for k, v in seeded.items() if v)
    text = f"数据库已就绪：{db.display_name}（数据结构版本 {state.current}）" + (
        f"；已载入参考数据：{added}" if added else ""
    )
    if encrypted:
        text += "；数据库已加密（SQLCipher），其文书和附件也加密保存"
    return Result(data, text)


def _target_path(ctx: Context) -> Path:
    """The SQLite file of --db (encryption concerns SQLite files only: exit 2 for a PostgreSQL URL)."""
    from xinfang_desktop.persistence.engine import database_url, sqlite_path

    path = sqlite_path(database_url(ctx.db_target))
    if path is None:
        raise UsageError("只有 SQLite 数据库文件可以加密；PostgreSQL 请使用服务器的磁盘加密或 TLS")
    return path


def _prepare_encrypted_init(ctx: Context) -> bool:
    """`init --encrypt`: a new file is created encrypted with the passphrase given (asked twice at a terminal)."""
    from xinfang_desktop.persistence import encryption as enc

    enc.require_cipher()
    path = _target_path(ctx)
    if path.exists() and path.stat().st_size > 0:
        if enc.is_encrypted(path):
            return True  # already encrypted: opened with its passphrase as any command
        raise UsageError(f"数据库 {path} 已存在且未加密：请用 xinfang db encrypt --db {path} 转换")
    passphrase = _new_passphrase("新数据库的口令：")
    enc.create_encrypted(path)
    enc.remember_key(path, passphrase)
    return True


def _new_passphrase(prompt: str) -> str:
    """A new passphrase: XINFANG_DB_NEW_KEY (rekey) / given (XINFANG_DB_KEY, key file), or asked twice without echo."""
    from xinfang_desktop.persistence import encryption as enc
    from xinfang_desktop.persistence.encryption_convert import check_new_passphrase

    found = enc.given_passphrase(None)
    if found is None:
        found = enc.ask_passphrase(prompt)
        if enc.ask_passphrase("再输入一次：") != found:
            raise UsageError("两次输入的口令不一致", field="key")
    check_new_passphrase(found)
    return found


def _encrypt(ctx: Context) -> Result:
    from xinfang_desktop.persistence import encryption as enc
    from xinfang_desktop.persistence.encryption_convert import encrypt_database

    enc.require_cipher()  # before anything: without sqlcipher3 nothing changes (exit 2)
    path = _target_path(ctx)
    if not path.is_file():
        raise UsageError(f"数据库文件不存在：{path}", field="db")
    ctx.close()  # the conversion replaces the file: no connection of this command stays open on it
    encrypted = enc.is_encrypted(path)
    passphrase = enc.passphrase_for(path) if encrypted else _new_passphrase("数据库的新口令：")
    report = encrypt_database(path, passphrase)
    data = report.to_json()
    if report.already_encrypted:
        text = f"数据库 {path} 已是加密的；存档中另加密了 {report.files_encrypted} 个文件"
    else:
        text = (
            f"已加密数据库 {path}（{len(report.counts)} 张表、{sum(report.counts.values())} 条记录，逐表核对一致）；"
            f"已加密存档文件 {report.files_encrypted} 个、备份 {report.generations_encrypted} 份。"
            f"加密前的副本：{report.backup}"
        )
    if report.plain_copies:
        text += (
            "\n注意：以下副本仍是未加密的明文，确认加密后的数据库可以正常使用后，请移到安全的介质或删除："
            + "、".join(report.plain_copies)
        )
    return Result(data, text)


def _rekey(ctx: Context) -> Result:
    from xinfang_desktop.persistence import encryption as enc
    from xinfang_desktop.persistence.encryption_convert import check_new_passphrase, rekey_database

    enc.require_cipher()
    path = _target_path(ctx)
    if not path.is_file():
        raise UsageError(f"数据库文件不存在：{path}", field="db")
    if not enc.is_encrypted(path):
        raise UsageError(f"数据库 {path} 未加密：先用 xinfang db encrypt 加密", field="db")
    old = enc.passphrase_for(path)
    ctx.close()
    new = os.environ.get(NEW_KEY_ENV)
    if new is None:
        new = enc.ask_passphrase("新口令：")
        if enc.ask_passphrase("再输入一次新口令：") != new:
            raise UsageError("两次输入的新口令不一致", field="key")
    check_new_passphrase(new)
    report = rekey_database(path, old, new)
    skipped = (
        f"；{len(report.generations_skipped)} 份备份用的不是原口令，未改：{'、'.join(report.generations_skipped)}"
        if report.generations_skipped
        else ""
    )
    return Result(
        report.to_json(),
        f"已更换数据库 {path} 的口令（备份 {report.generations} 份一并更换{skipped}）。今后请用新口令打开。",
    )


NEW_KEY_ENV = "XINFANG_DB_NEW_KEY"


def _add_key_file(p: argparse.ArgumentParser) -> None:
    """`init` and `db …` also take the database key file as --key-file (every command: --db-key-file, base.py)."""
    from xinfang_desktop.commands.base import db_key_file_arg

    p.add_argument(
        "--key-file",
        metavar="FILE",
        type=db_key_file_arg,
        default=argparse.SUPPRESS,
        help="同 --db-key-file：加密数据库的密钥文件（第一行是口令；也可用环境变量 XINFANG_DB_KEY_FILE）",
    )


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
    from xinfang_desktop.persistence.encryption import FILE_KEYS_TABLE
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
                        "include_object": lambda obj, name, type_, refl, other: (
                            not (name and (is_search_object(name) or name == FILE_KEYS_TABLE))
                        )
                    },
                )
                diffs = compare_metadata(mc, metadata)
        integrity = None
        if db.is_sqlite and state.current is not None:
            with db.engine.connect() as conn:
                integrity = conn.exec_driver_sql("PRAGMA quick_check").scalar()
                if integrity == "ok" and _is_cipher(conn):
                    # issue 17: every page's HMAC (a flipped byte anywhere in the encrypted file is found)
                    pages = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA cipher_integrity_check")]
                    integrity = "；".join(pages[:3]) if pages else "ok"
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


def _is_cipher(conn: Any) -> bool:
    from xinfang_desktop.persistence.encryption import is_cipher_connection

    return is_cipher_connection(conn.connection.driver_connection)


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
    p.add_argument("--encrypt", action="store_true", help="新建加密的数据库（SQLCipher；口令见 XINFANG_DB_KEY）")
    _add_key_file(p)
    p.set_defaults(handler=_init)
    db = sub.add_parser("db", help="数据库结构：升级、检查、加密")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION")
    p = dbsub.add_parser("upgrade", parents=[common], help="升级数据结构（升级前自动备份）")
    _add_key_file(p)
    p.set_defaults(handler=_upgrade)
    p = dbsub.add_parser("check", parents=[common], help="检查数据结构、完整性和存档文件")
    _add_key_file(p)
    p.set_defaults(handler=_check)
    p = dbsub.add_parser(
        "encrypt",
        parents=[common],
        help="把未加密的数据库转换为加密数据库（先备份，逐表核对记录数；文书和附件一并加密）",
    )
    _add_key_file(p)
    p.set_defaults(handler=_encrypt)
    p = dbsub.add_parser(
        "rekey", parents=[common], help="更换加密数据库的口令（原口令同打开时；新口令读 XINFANG_DB_NEW_KEY 或提示输入）"
    )
    _add_key_file(p)
    p.set_defaults(handler=_rekey)
