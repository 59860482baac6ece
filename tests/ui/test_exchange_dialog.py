"""上报数据包 dialog (统计 → 上报数据包…, issue 14) on real databases, driven through its widgets: the city makes its
key and registers a county's public key after the fingerprint dialog; the county generates a package encrypted for the
city with a progress bar; the city verifies it (sender, period, members, signature) and imports it, then again (no
change); a tampered file is refused; 取消 really stops a package being made (no file, nothing recorded)."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.conftest import content_hash
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.exchange_dialog import ExchangeDialog, TrustDialog
from xinfang_desktop.ui.tasks import SyncTaskRunner, ThreadedTaskRunner

TODAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from xinfang_desktop.persistence.demo_data import generate_demo
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    root = tmp_path_factory.mktemp("exchange_gui")
    county = open_database(root / "county.sqlite3")
    seed_reference_data(county)
    generate_demo(county, 1500, 5, today=TODAY)
    county.dispose()
    city = open_database(root / "city.sqlite3")
    seed_reference_data(city)
    city.dispose()
    return root


@pytest.fixture
def offices(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "offices"
    shutil.copytree(template, target)
    return target


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path("/tmp/shots_exchange")
    folder.mkdir(exist_ok=True)
    return folder


def _open(qtbot: Any, path: Path, runner: Any = None) -> tuple[ExchangeDialog, Any]:
    db = open_database(path)
    tasks = runner or SyncTaskRunner(db)
    if runner is not None:
        runner.attach(db)
    dialog = ExchangeDialog(AppContext(tasks, today=lambda: TODAY, user="tester"))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, db


def _answer_trust_dialog(office: str) -> None:
    """When the fingerprint dialog comes up: name the office and click 登记 (as the clerk would)."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, TrustDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.office_edit.setText(office)
        dialog.grab().save("/tmp/shots_exchange/trust_dialog.png")
        dialog.ok_button.click()

    QTimer.singleShot(0, answer)


def _keys(qtbot: Any, path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ExchangeDialog, Any, Path]:
    """Open the dialog on the 密钥 tab, make the office's key and export the public key; returns its file."""
    dialog, db = _open(qtbot, path)
    keys = dialog.keys_tab
    dialog.tabs.setCurrentWidget(keys)
    assert keys.fingerprint_label.text() == "尚未生成" and keys.init_button.isVisible()
    keys.init_button.click()
    assert keys.state is not None and keys.state.own is not None
    assert keys.fingerprint_label.text() == keys.state.own.public.fingerprint_text
    assert not keys.init_button.isVisible() and keys.export_button.isEnabled()
    public = path.with_name(path.stem + ".pub.json")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(public), ""))
    keys.export_button.click()
    assert public.exists() and "公钥已写入" in keys.message_label.text()
    return dialog, db, public


def _package(
    qtbot: Any, county: Path, city_key: Path, out: Path, monkeypatch: pytest.MonkeyPatch, shots: Path
) -> ExchangeDialog:
    dialog, db = _open(qtbot, county)
    tab = dialog.pack_tab
    tab.period.set_code("2026-10")
    assert tab.period.code() == "2026-10" and "2026年10月01日 至 2026年10月31日" in tab.period_note.text()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(city_key), ""))
    tab.receiver_button.click()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    tab.output_button.click()
    assert tab.output_edit.text() == str(out)
    with qtbot.waitSignal(tab.finished, timeout=20000):
        tab.generate_button.click()
    assert out.exists(), tab.result_label.text()
    assert "已生成第 1 号上报数据包" in tab.result_label.text() and "已加密给接收单位" in tab.result_label.text()
    assert tab.bar.value() == tab.bar.maximum() and not tab.cancel_button.isEnabled()
    dialog.grab().save(str(shots / "pack_tab.png"))
    db.dispose()
    return dialog


def test_keys_pack_verify_import_and_import_again(
    qtbot: Any, offices: Path, monkeypatch: pytest.MonkeyPatch, shots: Path
) -> None:
    county, city = offices / "county.sqlite3", offices / "city.sqlite3"
    county_dialog, county_db, county_pub = _keys(qtbot, county, monkeypatch)
    county_dialog.close()
    county_db.dispose()
    city_dialog, city_db, city_pub = _keys(qtbot, city, monkeypatch)

    keys = city_dialog.keys_tab
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(county_pub), ""))
    _answer_trust_dialog("甲县信访局")
    keys.trust_button.click()
    assert keys.senders.rowCount() == 1 and keys.senders.item(0, 0).text() == "甲县信访局"
    assert "已登记 甲县信访局" in keys.message_label.text()
    city_dialog.grab().save(str(shots / "keys_tab.png"))
    _answer_trust_dialog("甲县信访局")
    keys.trust_button.click()  # the same key again
    assert "无需重复登记" in keys.message_label.text() and keys.senders.rowCount() == 1

    package = offices / "county-2026-10.zip"
    _package(qtbot, county, city_pub, package, monkeypatch, shots)

    tab = city_dialog.import_tab
    city_dialog.tabs.setCurrentWidget(tab)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(package), ""))
    tab.file_button.click()
    assert "签名有效" in tab.status_label.text() and "SHA-256 与清单一致" in tab.status_label.text()
    assert tab.sender_label.text() == "甲县信访局"
    assert tab.period_label.text().startswith("2026年10月")
    assert "已用本单位私钥解开" in tab.encrypted_label.text()
    assert {tab.members.item(r, 0).text() for r in range(tab.members.rowCount())} == {"cases.jsonl", "reports.json"}
    assert all(len(tab.members.item(r, 2).text()) == 64 for r in range(2))
    assert tab.import_button.isEnabled()
    with sqlite3.connect(f"file:{county}?mode=ro", uri=True) as conn:
        expected = conn.execute(
            "SELECT count(*) FROM cases WHERE received_on BETWEEN '2026-10-01' AND '2026-10-31'"
        ).fetchone()[0]
    assert f"{expected:,} 件事项" in tab.cases_label.text()
    tab.import_button.click()
    assert f"新增 {expected:,} 件，更新 0 件，未变 0 件" in tab.result_label.text(), tab.result_label.text()
    assert tab.city.rowCount() == 2 and tab.city.item(0, 0).text() == "甲县信访局"
    assert tab.city.item(1, 0).text() == "合计" and tab.export_button.isEnabled()
    city_dialog.grab().save(str(shots / "import_tab.png"))
    xlsx = offices / "city.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(xlsx), ""))
    with qtbot.waitSignal(tab.exported, timeout=10000):
        tab.export_button.click()
    assert xlsx.stat().st_size > 0

    before = content_hash(city_db)
    tab.file_button.click()  # the same file again
    tab.import_button.click()
    assert "此前已导入，本次未作任何更改" in tab.result_label.text()
    assert content_hash(city_db) == before
    city_db.dispose()


def test_a_tampered_package_is_refused(qtbot: Any, offices: Path, monkeypatch: pytest.MonkeyPatch, shots: Path) -> None:
    county, city = offices / "county.sqlite3", offices / "city.sqlite3"
    _, county_db, county_pub = _keys(qtbot, county, monkeypatch)
    county_db.dispose()
    city_dialog, city_db, city_pub = _keys(qtbot, city, monkeypatch)
    _answer_trust_dialog("甲县信访局")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(county_pub), ""))
    city_dialog.keys_tab.trust_button.click()
    package = offices / "p.zip"
    _package(qtbot, county, city_pub, package, monkeypatch, shots)
    raw = bytearray(package.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    bad = offices / "tampered.zip"
    bad.write_bytes(bytes(raw))
    before = content_hash(city_db)
    tab = city_dialog.import_tab
    city_dialog.tabs.setCurrentWidget(tab)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    tab.file_button.click()
    assert tab.status_label.text().startswith("数据包未通过核验，未导入任何数据：签名核验未通过")
    assert not tab.import_button.isEnabled() and tab.sender_label.text() == "—"
    city_dialog.grab().save(str(shots / "import_tampered.png"))
    assert content_hash(city_db) == before
    city_db.dispose()


def test_without_a_key_the_dialog_says_where_to_make_one(qtbot: Any, offices: Path, tmp_path: Path) -> None:
    dialog, db = _open(qtbot, offices / "county.sqlite3")
    tab = dialog.pack_tab
    assert "尚未生成上报密钥" in tab.result_label.text() and "密钥" in tab.result_label.text()
    tab.generate_button.click()
    assert "请先选择数据包的保存位置" in tab.result_label.text()
    tab.output_edit.setText(str(tmp_path / "x.zip"))
    tab.generate_button.click()
    assert "请先在“密钥”页点“生成本单位密钥”" in tab.result_label.text()
    assert not (tmp_path / "x.zip").exists()
    db.dispose()


def test_cancel_stops_the_package_being_made(
    qtbot: Any, offices: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shots: Path
) -> None:
    from xinfang_desktop.persistence.exchange import queries

    county = offices / "county.sqlite3"
    _, db, _ = _keys(qtbot, county, monkeypatch)
    db.dispose()
    original = queries.pages

    def slow_pages(ids: Sequence[int], size: int = 10) -> Iterator[Sequence[int]]:
        for page in original(ids, 10):
            time.sleep(0.05)
            yield page

    monkeypatch.setattr(queries, "pages", slow_pages)
    runner = ThreadedTaskRunner()
    dialog, db = _open(qtbot, county, runner)
    try:
        before = content_hash(db)
        tab = dialog.pack_tab
        tab.period.set_code("2026")
        out = tmp_path / "year.zip"
        tab.output_edit.setText(str(out))
        tab.generate_button.click()
        assert tab.cancel_button.isEnabled() and not tab.generate_button.isEnabled()
        qtbot.waitUntil(lambda: tab.bar.maximum() > 0 and tab.bar.value() > 0, timeout=20000)  # under way
        dialog.grab().save(str(shots / "pack_progress.png"))
        with qtbot.waitSignal(tab.finished, timeout=20000):
            tab.cancel_button.click()
        assert tab.result_label.text() == "已取消：未生成数据包，数据库未改动"
        assert tab.bar.value() < tab.bar.maximum()  # stopped part-way
        assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".xinfang")] == []
        assert tab.generate_button.isEnabled() and not tab.cancel_button.isEnabled()
        assert content_hash(db) == before
    finally:
        runner.shutdown()


def test_statistics_panel_opens_the_dialog(qtbot: Any, offices: Path) -> None:
    from xinfang_desktop.ui.statistics_panel import StatisticsPanel

    db = open_database(offices / "city.sqlite3")
    panel = StatisticsPanel(AppContext(SyncTaskRunner(db), today=lambda: TODAY, user="tester"))
    qtbot.addWidget(panel)
    assert panel.exchange_button.text() == "上报数据包…"
    panel.exchange_button.click()
    dialog = panel.exchange_dialog
    assert isinstance(dialog, ExchangeDialog) and dialog.isVisible() and dialog.windowTitle() == "上报数据包"
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == ["生成", "核验/导入", "密钥"]
    dialog.close()
    db.dispose()
