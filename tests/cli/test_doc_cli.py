"""The `xinfang doc …` contract: types, sample, render from --input and from --case; bad input exits 2 unchanged."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import content_hash
from tests.helpers import sample_case
from xinfang_desktop import cli
from xinfang_desktop.persistence.database import open_database

DOC_MODULE = "xinfang_desktop.commands.doc_cmd"


@pytest.fixture(autouse=True)
def _doc_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    if DOC_MODULE not in cli.COMMAND_MODULES:
        monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, DOC_MODULE))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    try:
        data = json.loads(out) if out.strip() else None
    except json.JSONDecodeError:
        data = out
    return code, data, err


def write(tmp_path: Path, data: object, name: str = "in.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.fixture
def dbfile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "docs.sqlite3")
    assert run(capsys, "init", "--db", path, "--json")[0] == 0
    return path


def pdftext(path: str) -> str:
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    out = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def test_types_lists_every_type_with_its_label(capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = run(capsys, "doc", "types", "--json")
    assert code == 0 and len(data) == 22
    assert all(set(t) == {"id", "label"} for t in data)
    assert {"id": "responsibility_statement", "label": "信访工作责任书"} in data
    assert {"id": "accountability_recommendation", "label": "责任追究建议书"} in data


def test_sample_and_unknown_type(capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = run(capsys, "doc", "sample", "responsibility_statement", "--json")
    assert code == 0 and data["year"] == 2026 and data["targets"]
    code, data, _ = run(capsys, "doc", "sample", "no_such_type", "--json")
    assert code == 2 and "未知的文书类型" in data["error"]


def test_render_from_input(tmp_path: Path, dbfile: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, sample, _ = run(capsys, "doc", "sample", "accountability_recommendation", "--json")
    out = tmp_path / "out" / "建议书.pdf"
    code, data, err = run(
        capsys,
        "doc",
        "render",
        "accountability_recommendation",
        "--input",
        write(tmp_path, sample),
        "-o",
        str(out),
        "--db",
        dbfile,
        "--json",
    )
    assert code == 0, err
    assert set(data) >= {"path", "number", "sha256", "pages", "fonts"}
    assert data["path"] == str(out) and data["number"] == "示信追责〔2026〕1号"
    assert hashlib.sha256(out.read_bytes()).hexdigest() == data["sha256"] and data["pages"] >= 1
    assert set(data["fonts"]) >= {"fangsong", "heiti", "kaiti", "xiaobiaosong"}
    text = pdftext(str(out))
    assert "示信追责〔2026〕1号" in text and "第十一条第（二）项" in text
    code, again, _ = run(
        capsys,
        "doc",
        "render",
        "accountability_recommendation",
        "--input",
        write(tmp_path, sample),
        "-o",
        str(tmp_path / "b.pdf"),
        "--db",
        dbfile,
        "--json",
    )
    assert code == 0 and again["number"] == "示信追责〔2026〕2号"
    code, listed, _ = run(capsys, "doc", "list", "--db", dbfile, "--json")
    assert [d["number"] for d in listed["documents"]] == ["示信追责〔2026〕2号", "示信追责〔2026〕1号"]


def test_render_from_case(tmp_path: Path, dbfile: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, added, _ = run(capsys, "case", "add", write(tmp_path, sample_case()), "--db", dbfile, "--json")
    number = added["number"]
    out = tmp_path / "receipt.pdf"
    code, data, err = run(
        capsys,
        "doc",
        "render",
        "petitioner_receipt",
        "--case",
        number,
        "-o",
        str(out),
        "--db",
        dbfile,
        "--today",
        "2026-11-22",
        "--json",
    )
    assert code == 0, err
    assert data["case_number"] == number and data["number"] == "示信回执〔2026〕1号"
    text = pdftext(str(out))
    assert number in text and "张伟" in text and "2026年12月7日" in text  # R-DL-01 due date
    # Before acceptance there is no acceptance notice to give; the message says why and what to do.
    code, data, _ = run(
        capsys,
        "doc",
        "render",
        "acceptance_notice",
        "--case",
        number,
        "-o",
        str(tmp_path / "a.pdf"),
        "--db",
        dbfile,
        "--json",
    )
    assert code == 2 and "尚无“受理”" in data["error"] and "doc sample" in data["error"]
    # The window shows the same refusal without the command line (issue 18: no CLI text in the GUI).
    from xinfang_desktop.core.errors import DomainError
    from xinfang_desktop.documents.case_documents import CLI_HINT, input_from_case
    from xinfang_desktop.documents.document_store import office_info
    from xinfang_desktop.persistence.calendar_store import load_calendar
    from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds

    db = open_database(dbfile)
    try:
        with db.read_session() as session, pytest.raises(DomainError) as refused:
            input_from_case(
                session,
                "acceptance_notice",
                number,
                today=date(2026, 11, 22),
                calendar=load_calendar(db),
                thresholds=deadline_thresholds(db),
                office=office_info(db),
            )
    finally:
        db.dispose()
    assert "自行填写文书内容" in refused.value.message and "--input" not in refused.value.message
    assert "xinfang" not in refused.value.message and "doc sample" in str(refused.value.details[CLI_HINT])
    # Assign the case with a deadline: the 交办单 carries the unit, mode, the due date and its explanation.
    code, _, err = run(
        capsys,
        "case",
        "act",
        number,
        "assign",
        "--date",
        "2026-11-23",
        "--unit",
        "城关街道办事处",
        "--days",
        "30",
        "--mode",
        "要情况",
        "--today",
        "2026-11-25",
        "--db",
        dbfile,
        "--json",
    )
    assert code == 0, err
    out = tmp_path / "assign.pdf"
    code, data, err = run(
        capsys,
        "doc",
        "render",
        "assignment_form",
        "--case",
        number,
        "-o",
        str(out),
        "--db",
        dbfile,
        "--today",
        "2026-11-25",
        "--json",
    )
    assert code == 0, err
    assert data["event_seq"] == 2
    text = pdftext(str(out))
    assert "要情况" in text and "2026年12月23日" in text and "110105********002X" in text
    assert "11010519491231002X" not in text


def test_input_only_types_refuse_case(tmp_path: Path, dbfile: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "case", "add", write(tmp_path, sample_case()), "--db", dbfile, "--json")
    code, data, _ = run(
        capsys,
        "doc",
        "render",
        "responsibility_statement",
        "--case",
        "XF2026-000001",
        "-o",
        str(tmp_path / "x.pdf"),
        "--db",
        dbfile,
        "--json",
    )
    assert code == 2 and "--input" in data["error"]


def test_every_type_not_made_from_a_case_refuses_case_with_the_way_to_make_it(
    tmp_path: Path, dbfile: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # 一事双查报告 and 三方会审记录 with --case ended in "KeyError" (exit 1): now exit 2, naming what makes them.
    from xinfang_desktop.documents.case_documents import FROM_RECORD, HEADER_ONLY, derivable
    from xinfang_desktop.documents.types import all_specs

    run(capsys, "case", "add", write(tmp_path, sample_case()), "--db", dbfile, "--json")
    before = content_hash(open_database(dbfile))
    refused = [s.type_id for s in all_specs() if not derivable(s.type_id) and s.type_id not in HEADER_ONLY]
    assert {"dual_inquiry_report", "tripartite_review_record", "tripartite_review_cover"} <= set(refused)
    for type_id in refused:
        argv = ("doc", "render", type_id, "--case", "XF2026-000001", "-o", str(tmp_path / "x.pdf"), "--db", dbfile)
        code, data, _ = run(capsys, *argv, "--json")
        assert code == 2, (type_id, data)
        assert "KeyError" not in data["error"] and "--input" in data["error"]
        if type_id in FROM_RECORD:
            assert FROM_RECORD[type_id] in data["error"]
    assert content_hash(open_database(dbfile)) == before
    assert not (tmp_path / "x.pdf").exists()


def test_bad_input_exits_2_and_changes_nothing(tmp_path: Path, dbfile: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(dbfile)
    before = content_hash(db)
    db.dispose()
    bad = {"year": 2026, "first_party": "示范县人民政府", "targets": [], "signed_on": "2026-13-01"}
    out = tmp_path / "bad.pdf"
    code, data, err = run(
        capsys,
        "doc",
        "render",
        "responsibility_statement",
        "--input",
        write(tmp_path, bad),
        "-o",
        str(out),
        "--db",
        dbfile,
        "--json",
    )
    assert code == 2 and "错误" in err
    fields = {e["field"] for e in data["errors"]}
    assert {"second_party", "targets", "measures", "signed_on"} <= fields
    code, _, _ = run(capsys, "doc", "render", "warning_slip", "-o", str(out), "--db", dbfile, "--json")
    assert code == 2
    code, _, _ = run(
        capsys, "doc", "render", "warning_slip", "--input", write(tmp_path, [1]), "-o", str(out), "--db", dbfile
    )
    assert code == 2
    db = open_database(dbfile)
    assert content_hash(db) == before
    db.dispose()
    assert not out.exists()


def test_render_docx_reopens(tmp_path: Path, dbfile: str, capsys: pytest.CaptureFixture[str]) -> None:
    docx = pytest.importorskip("docx")
    code, sample, _ = run(capsys, "doc", "sample", "handling_opinion", "--json")
    out = tmp_path / "opinion.docx"
    code, data, err = run(
        capsys,
        "doc",
        "render",
        "handling_opinion",
        "--input",
        write(tmp_path, sample),
        "--format",
        "docx",
        "-o",
        str(out),
        "--db",
        dbfile,
        "--json",
    )
    assert code == 0, err
    assert data["format"] == "docx" and data["stored_path"].endswith(".docx")
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "向示范县人民政府书面请求复查" in text and data["number"] == "示信处〔2026〕1号"


def test_the_output_extension_chooses_the_format(
    tmp_path: Path, dbfile: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # `-o x.docx` wrote a PDF under a .docx name; now the extension decides, and a contradicting --format exits 2.
    code, sample, _ = run(capsys, "doc", "sample", "handling_opinion", "--json")
    source = write(tmp_path, sample)
    out = tmp_path / "opinion.docx"
    code, data, err = run(
        capsys, "doc", "render", "handling_opinion", "--input", source, "-o", str(out), "--db", dbfile, "--json"
    )
    assert code == 0, err
    assert data["format"] == "docx" and out.read_bytes().startswith(b"PK")
    before = content_hash(open_database(dbfile))
    bad = tmp_path / "opinion2.docx"
    code, data, _ = run(
        capsys,
        "doc",
        "render",
        "handling_opinion",
        "--input",
        source,
        "--format",
        "pdf",
        "-o",
        str(bad),
        "--db",
        dbfile,
        "--json",
    )
    assert code == 2 and "扩展名" in data["error"] and not bad.exists()
    assert content_hash(open_database(dbfile)) == before
