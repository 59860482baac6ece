"""`xinfang exchange pack|verify|import|summary|keys`: 上报数据包 between a county office and the higher bureau.

- `exchange pack --period P -o FILE [--encrypt-for KEYFILE]` — the cases changed since the last package to the
  same receiver (all of the period for the first) and the period's figures, SM2-signed; SM4-GCM for the receiver.
- `exchange verify FILE --json` — the signature, the signer, every member's SHA-256 (exit 2 when anything fails).
- `exchange import FILE --json` — verify, then store the cases and figures (idempotent); prints the city's sum.
- `exchange summary --period P [--by G] [--xlsx FILE]` — the city's figures: the sum of the counties' packages.
- `exchange keys init|show [-o FILE]|trust FILE [--office NAME]` — this office's key pair; the senders trusted.

P is a period as elsewhere: 2026-11 (month), 2026Q3 (quarter), 2026H1 (half year), 2026 (year). `--key FILE`
names this office's private key file when it is not the one beside the database (`<file>.exchange-key`).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError
from xinfang_desktop.core.duties import Span, parse_period
from xinfang_desktop.core.errors import DomainError, NotFoundError
from xinfang_desktop.core.exchange import format_fingerprint
from xinfang_desktop.core.period_stats import GroupBy

_GROUPS = {g.value: g for g in GroupBy}


def _period(text: str) -> Span:
    try:
        return parse_period(text)
    except DomainError as exc:
        raise UsageError(f"--period：{exc.message}", field="period") from None


def _output(text: str, option: str = "-o") -> Path:
    path = Path(text).expanduser()
    if path.is_dir() or not path.parent.is_dir():
        raise UsageError(f"{option} 应为一个文件路径，且其所在文件夹须已存在：{text}", field="output")
    return path


def _input(text: str) -> Path:
    path = Path(text).expanduser()
    if not path.is_file():
        raise UsageError(f"文件不存在：{text}", field="file")
    return path


def _key_path(ctx: Context) -> Path:
    from xinfang_desktop.reports.exchange_keys import default_key_path

    given = getattr(ctx.args, "key", None)
    return Path(given).expanduser() if given else default_key_path(ctx.database().url)


def _own_key(ctx: Context, *, required: bool) -> Any:
    from xinfang_desktop.reports.exchange_keys import load_key

    try:
        return load_key(_key_path(ctx))
    except NotFoundError:
        if required:
            raise
        return None


def _pack(ctx: Context) -> Result:
    from xinfang_desktop.reports.exchange_keys import read_public_key
    from xinfang_desktop.reports.exchange_pack import pack

    period = _period(ctx.args.period)
    output = _output(ctx.args.output)
    receiver = read_public_key(_input(ctx.args.encrypt_for)) if ctx.args.encrypt_for else None
    key = _own_key(ctx, required=True)
    if receiver is not None and receiver.fingerprint == key.fingerprint:
        raise UsageError("--encrypt-for 应为接收单位（上级）的公钥，而不是本单位自己的公钥", field="encrypt_for")
    result = pack(ctx.database(), period, output, key, receiver=receiver)
    data = result.to_json()
    first = "首个数据包：期间内收到的全部事项" if result.first else "上次上报以来有变化的事项及新收到的事项"
    sealed = (
        f"，已加密给 {receiver.office or '接收单位'}（指纹 {receiver.fingerprint_text}）" if receiver else "，未加密"
    )
    text = (
        f"已生成第 {result.seq} 号上报数据包（{period.label}）：{result.cases} 件事项、{result.events} 条办理记录"
        f"（{first}，收到日期 {result.range_from} 至 {result.range_to}）{sealed}；SM2 签名：{output}"
    )
    return Result(data, text)


def _verify(ctx: Context) -> Result:
    from xinfang_desktop.reports.exchange_import import verify

    path = _input(ctx.args.file)
    data = verify(ctx.database(), path, _own_key(ctx, required=False))
    signer = data["signer"]
    who = "本单位" if signer["own"] else signer["office"]
    lines = [f"签名有效：{who}（公钥指纹 {signer['fingerprint_text']}），SM2 签名、SM3 摘要"]
    if "manifest" in data:
        m = data["manifest"]
        lines.append(
            f"第 {m['seq']} 号数据包，{m['period_label']}，{m['cases']} 件事项；各成员 SHA-256 与清单一致"
            + ("（已解密核对）" if data["encrypted"] else "")
        )
    if data["note"]:
        lines.append(data["note"])
    return Result(data, "\n".join(lines))


def _import(ctx: Context) -> Result:
    from xinfang_desktop.reports.exchange_import import import_package

    path = _input(ctx.args.file)
    result = import_package(ctx.database(), path, _own_key(ctx, required=False))
    return Result(result.to_json(), result.text())


def _summary(ctx: Context) -> Result:
    from xinfang_desktop.reports.exchange_summary import city_report
    from xinfang_desktop.reports.period_xlsx import write_period_xlsx

    period = _period(ctx.args.period)
    group_by = _GROUPS.get(ctx.args.by.strip().lower())
    if group_by is None:
        raise UsageError(f"--by 应为 {'、'.join(_GROUPS)} 之一，而不是“{ctx.args.by}”", field="by")
    xlsx = _output(ctx.args.xlsx, "--xlsx") if ctx.args.xlsx else None
    if xlsx is not None and xlsx.suffix.lower() != ".xlsx":
        raise UsageError(f"--xlsx 应为 .xlsx 文件，而不是“{ctx.args.xlsx}”", field="xlsx")
    report = city_report(ctx.database(), period, group_by)
    data = report.to_json()
    text = report.text()
    if xlsx is not None:
        data["xlsx"] = str(write_period_xlsx(report.report, xlsx))
        text += f"\n已导出 {xlsx}"
    return Result(data, text)


def _keys_init(ctx: Context) -> Result:
    from xinfang_desktop.reports.exchange_keys import init_office_key

    key = init_office_key(ctx.database(), _key_path(ctx), datetime.now().replace(microsecond=0))
    data = {**key.public.to_json(), "private_key_file": str(key.path)}
    text = (
        f"已生成本单位的上报密钥（SM2）：私钥 {key.path}（仅本账号可读，请勿外传，并与数据库一同备份到安全处）\n"
        f"公钥指纹 {key.public.fingerprint_text}：运行 xinfang exchange keys show -o 公钥.json 导出公钥交上级登记"
    )
    return Result(data, text)


def _keys_show(ctx: Context) -> Result:
    from xinfang_desktop.persistence.exchange.queries import senders
    from xinfang_desktop.reports.exchange_keys import PublicKey, write_public_key

    key = _own_key(ctx, required=False)
    with ctx.database().read_session() as session:
        trusted = senders(session)
    data: dict[str, Any] = {
        "own": None if key is None else {**key.public.to_json(), "private_key_file": str(key.path)},
        "trusted": [PublicKey(s.public_key, s.office, s.region_code).to_json() for s in trusted],
    }
    lines = []
    if key is None:
        lines.append("本单位尚未生成上报密钥（xinfang exchange keys init）")
    else:
        lines += [f"本单位：{key.public.office}", f"公钥：{key.public_key}", f"公钥指纹：{key.public.fingerprint_text}"]
        if ctx.args.output:
            path = write_public_key(key.public, _output(ctx.args.output))
            data["written"] = str(path)
            lines.append(f"公钥已写入 {path}：交上级登记，并请上级核对指纹")
    lines.append(f"已登记的发送单位：{len(trusted)} 个")
    lines += [f"  {s.office}（{s.region_code or '未写区划'}）指纹 {format_fingerprint(s.fingerprint)}" for s in trusted]
    return Result(data, "\n".join(lines))


def _keys_trust(ctx: Context) -> Result:
    from xinfang_desktop.reports.exchange_keys import read_public_key, trust_key

    public = read_public_key(_input(ctx.args.file))
    office = (ctx.args.office or public.office).strip()
    region = (ctx.args.region or public.region_code).strip()
    trust_key(ctx.database(), public, office=office, region_code=region, own=_own_key(ctx, required=False))
    data = {**public.to_json(), "office": office, "region_code": region, "trusted": True}
    return Result(data, f"已登记 {office} 的公钥，指纹 {public.fingerprint_text}（请与对方书面提供的指纹核对）")


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    exchange = sub.add_parser("exchange", parents=[common], help="上报数据包：生成、核验、导入、汇总、密钥")
    actions = exchange.add_subparsers(dest="action", metavar="ACTION", parser_class=type(exchange))

    def key_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--key", metavar="FILE", help="本单位私钥文件（默认：数据库文件旁的 <数据库文件名>.exchange-key）"
        )

    p = actions.add_parser("pack", parents=[common], help="生成期间的上报数据包（SM2 签名，可加密给接收单位）")
    p.add_argument("--period", required=True, metavar="P", help="期间：2026-11、2026Q3、2026H1 或 2026")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="输出的数据包文件（.zip）")
    p.add_argument("--encrypt-for", metavar="KEYFILE", help="接收单位的公钥文件：数据包用 SM4-GCM 加密给它")
    key_option(p)
    p.set_defaults(handler=_pack)

    p = actions.add_parser("verify", parents=[common], help="核验数据包的签名和每个成员的 SHA-256")
    p.add_argument("file", metavar="FILE", help="数据包文件")
    key_option(p)
    p.set_defaults(handler=_verify)

    p = actions.add_parser("import", parents=[common], help="核验并导入下级单位的数据包（重复导入不改变数据）")
    p.add_argument("file", metavar="FILE", help="数据包文件")
    key_option(p)
    p.set_defaults(handler=_import)

    p = actions.add_parser("summary", parents=[common], help="各下级单位上报数字的汇总（本级报表）")
    p.add_argument("--period", required=True, metavar="P", help="期间：2026-11、2026Q3、2026H1 或 2026")
    p.add_argument("--by", default="destination", metavar="G", help=f"分组：{'、'.join(_GROUPS)}（默认 destination）")
    p.add_argument("--xlsx", metavar="FILE", help="导出 Excel 工作簿")
    p.set_defaults(handler=_summary)

    keys = actions.add_parser("keys", parents=[common], help="本单位的上报密钥；登记发送单位的公钥")
    key_actions = keys.add_subparsers(dest="keys_action", metavar="ACTION", parser_class=type(exchange))
    p = key_actions.add_parser("init", parents=[common], help="生成本单位的 SM2 密钥对")
    key_option(p)
    p.set_defaults(handler=_keys_init)
    p = key_actions.add_parser("show", parents=[common], help="显示本单位公钥及其指纹、已登记的发送单位")
    p.add_argument("-o", "--output", metavar="FILE", help="把本单位公钥写入文件（交上级登记）")
    key_option(p)
    p.set_defaults(handler=_keys_show)
    p = key_actions.add_parser("trust", parents=[common], help="登记下级发送单位交来的公钥文件")
    p.add_argument("file", metavar="FILE", help="对方的公钥文件")
    p.add_argument("--office", metavar="NAME", help="该单位名称（默认：公钥文件中所写）")
    p.add_argument("--region", metavar="CODE", help="该单位的行政区划代码（默认：公钥文件中所写）")
    key_option(p)
    p.set_defaults(handler=_keys_trust)
