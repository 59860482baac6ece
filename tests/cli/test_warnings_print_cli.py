"""`inquiry show --pdf`, `review show --pdf/--cover` (issue 8): numbered, stored, copied; bad input exits 2 unchanged;
`warn notify` issues the 书面说明通知 once per owed explanation."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_warnings_cli import Cli, wcli  # noqa: F401  (the fixture)


def _backlog_case(wcli: Cli) -> str:  # noqa: F811
    number = wcli.add()
    assert wcli("case", "act", number, "accept", "--date", "2024-09-03", "--unit", "县自然资源局")[0] == 0
    path = wcli.write("letter.json", {"channel": "来信", "received_on": "2024-11-20", "level": "县"})
    assert wcli("case", "submit", number, path, "--today", "2024-12-31")[0] == 0
    assert wcli("warn", "scan", "--today", "2024-11-21")[0] == 0
    return number


def _docs(wcli: Cli, number: str) -> list[dict[str, object]]:  # noqa: F811
    code, out = wcli("doc", "list", "--case", number)
    assert code == 0
    return list(out["documents"])


def test_inquiry_show_prints_a_numbered_stored_report(wcli: Cli, tmp_path: Path) -> None:  # noqa: F811
    number = _backlog_case(wcli)
    wcli.unchanged("inquiry", "show", number, "--pdf", str(tmp_path / "无此目录" / "r.pdf"), "--today", "2024-11-21")
    wcli.unchanged("inquiry", "show", number, "--pdf", str(tmp_path), "--today", "2024-11-21")
    out_file = tmp_path / "一事双查.pdf"
    code, out = wcli("inquiry", "show", number, "--pdf", str(out_file), "--today", "2024-11-21")
    assert code == 0, out
    doc = out["document"]
    assert doc["type"] == "dual_inquiry_report" and "双查〔2024〕1号" in doc["number"]
    assert out_file.read_bytes() == Path(doc["stored_path"]).read_bytes() and out_file.read_bytes()[:4] == b"%PDF"
    assert any(d["number"] == doc["number"] for d in _docs(wcli, number))
    code, out = wcli(
        "inquiry", "record", number, "--handling", "--first-unit", "县自然资源局", "--findings", "未按期办结",
        "--date", "2024-11-25", "--today", "2024-11-25",
    )  # fmt: skip
    assert code == 0
    code, out = wcli("inquiry", "show", number, "--pdf", str(out_file), "--today", "2024-11-25")
    assert code == 0 and out["document"]["number"].endswith("〔2024〕2号")


def test_review_show_prints_the_record_and_the_cover(wcli: Cli, tmp_path: Path) -> None:  # noqa: F811
    number = _backlog_case(wcli)
    wcli.visit(number, "2024-11-22", "国家", headcount=6)
    assert wcli("warn", "scan", "--today", "2024-11-22")[0] == 0
    [review] = wcli("review", "list", "--today", "2024-11-22")[1]["reviews"]
    rid = str(review["id"])
    record, cover = tmp_path / "记录.pdf", tmp_path / "封面.pdf"
    wcli.unchanged("review", "show", rid, "--pdf", str(record), "--cover", str(record), "--today", "2024-11-22")
    wcli.unchanged("review", "show", "999", "--pdf", str(record), "--today", "2024-11-22")
    wcli.unchanged("review", "show", rid, "--cover", str(tmp_path / "无此目录" / "c.pdf"), "--today", "2024-11-22")
    # not held yet: the record says so, and only the record is issued
    code, out = wcli("review", "show", rid, "--pdf", str(record), "--today", "2024-11-22")
    assert code == 0, out
    assert out["document"]["type"] == "tripartite_review_record" and "cover_document" not in out
    video = tmp_path / "会审.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42")
    code, out = wcli(
        "review", "record", rid, "--held-on", "2024-11-28", "--participant", "领导:县委书记王某",
        "--participant", "事权单位:县自然资源局", "--participant", "专家:赵律师", "--met-petitioner",
        "--notes", "三方听取诉求", "--file", str(video), "--city-copy", "2024-11-29", "--today", "2024-11-29",
    )  # fmt: skip
    assert code == 0, out
    code, out = wcli("review", "show", rid, "--pdf", str(record), "--cover", str(cover), "--today", "2024-11-29")
    assert code == 0, out
    assert out["document"]["number"].endswith("会审〔2024〕2号")
    assert out["cover_document"]["type"] == "tripartite_review_cover"
    assert "会审卷〔2024〕1号" in out["cover_document"]["number"]
    assert record.read_bytes()[:4] == b"%PDF" and cover.read_bytes()[:4] == b"%PDF"
    types = [d["type"] for d in _docs(wcli, number)]
    assert types.count("tripartite_review_record") == 2 and types.count("tripartite_review_cover") == 1


def test_warn_notify_issues_one_notice_per_owed_explanation(wcli: Cli) -> None:  # noqa: F811
    number = wcli.add()
    wcli.visit(number, "2024-09-10", "县")
    wcli.visit(number, "2024-09-20", "市")
    code, slip = wcli("warn", "issue", number, "--today", "2024-09-25")
    assert code == 0, slip
    slip_no = slip["number"]
    code, out = wcli("warn", "notify", slip_no, "--today", "2024-09-25")
    assert code == 0 and out["notified"] == []  # nothing owed yet
    wcli.unchanged("warn", "notify", "没有这个号", "--today", "2024-09-25")

    wcli.visit(number, "2024-09-30", "县")
    assert wcli("warn", "scan", "--today", "2024-09-30")[0] == 0
    wcli.unchanged("warn", "notify", slip_no, "--today", "2024-09-29")  # before the visit
    code, out = wcli("warn", "notify", slip_no, "--today", "2024-09-30")
    assert code == 0, out
    [first] = out["notified"]
    assert first["seq"] == 1 and "说明〔2024〕1号" in first["number"]
    assert out["explanations"][0]["notice"]["number"] == first["number"]
    assert "explanation_notices" not in out["evidence"]

    wcli.visit(number, "2024-10-14", "省")
    assert wcli("warn", "scan", "--today", "2024-10-14")[0] == 0
    code, out = wcli("warn", "notify", slip_no, "--today", "2024-10-14")
    assert code == 0 and [n["seq"] for n in out["notified"]] == [2]
    assert [e["notice"]["number"] for e in out["explanations"]] == [first["number"], out["notified"][0]["number"]]
    code, out = wcli("warn", "notify", slip_no, "--today", "2024-10-15")
    assert code == 0 and out["notified"] == []  # idempotent
    docs = [d for d in _docs(wcli, number) if d["type"] == "explanation_request"]
    assert len(docs) == 2
