"""Login, first-run set-up, sections by role, the idle lock and the 账号与安全 section (issue 17), on real widgets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import make_ctx
from xinfang_desktop.persistence.identity import Identity, acting, set_acting
from xinfang_desktop.persistence.users import create_account, list_accounts

PASSWORD = "Xf#2026-test"
SHOTS = Path("/tmp/shots_lead")


@pytest.fixture(autouse=True)
def _no_identity_left() -> Any:
    yield
    set_acting(None)


def _shot(widget: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_login_dialog_refuses_then_accepts(qtbot: Any, empty_db: Any) -> None:
    from xinfang_desktop.ui.login_dialog import LoginDialog

    create_account(empty_db, "guan", PASSWORD, roles=["system_admin"])
    dialog = LoginDialog(make_ctx(empty_db))
    qtbot.addWidget(dialog)
    dialog.login_edit.setText("guan")
    dialog.password_edit.setText("not-it#A1")
    dialog.submit()
    assert not dialog.error.isHidden()
    assert "再失败 4 次将锁定" in dialog.error.text() and dialog.result_login is None
    _shot(dialog, "login-refused")
    dialog.password_edit.setText(PASSWORD)
    dialog.submit()
    assert dialog.result_login.identity.roles == ("system_admin",)


def test_first_run_creates_three_administrators_and_a_clerk(qtbot: Any, empty_db: Any) -> None:
    from xinfang_desktop.ui.first_run_dialog import FirstRunDialog

    dialog = FirstRunDialog(make_ctx(empty_db))
    qtbot.addWidget(dialog)
    for box, password in ((b, f"{k[:3].upper()}#2026-go") for k, b in dialog.admins.items()):
        box.password.setText(password)
        box.again.setText(password)
    dialog.clerk.login.setText("zhangsan")
    dialog.clerk.name.setText("张三")
    dialog.clerk.password.setText("Zs#2026-go")
    dialog.clerk.again.setText("Zs#2026-gx")
    dialog.submit()
    assert "两次输入的口令不一致" in dialog.error.text() and list_accounts(empty_db) == []
    dialog.clerk.again.setText("Zs#2026-go")
    dialog.resize(800, 520)
    _shot(dialog, "first-run")
    dialog.submit()
    accounts = {a.login: set(a.roles) for a in list_accounts(empty_db)}
    assert accounts == {
        "sysadmin": {"system_admin"},
        "secadmin": {"security_admin"},
        "auditor": {"audit_admin"},
        "zhangsan": {"registrar", "handler"},
    }


def test_first_run_is_all_or_nothing(qtbot: Any, empty_db: Any) -> None:
    from xinfang_desktop.ui.first_run_dialog import FirstRunDialog

    dialog = FirstRunDialog(make_ctx(empty_db))
    qtbot.addWidget(dialog)
    for box in dialog.admins.values():
        box.password.setText("Good#2026-pw")
        box.again.setText("Good#2026-pw")
    dialog.clerk.login.setText("li")
    dialog.clerk.password.setText("weak")
    dialog.clerk.again.setText("weak")
    dialog.submit()
    assert "口令不符合安全策略" in dialog.error.text()
    assert list_accounts(empty_db) == []  # the administrators were not created either


@pytest.mark.parametrize(
    ("role", "sections"),
    [
        ("statistician", ["workbench", "ledger", "statistics"]),
        ("audit_admin", ["security"]),
        ("system_admin", ["settings", "security"]),
        ("registrar", ["workbench", "ledger", "intake", "documents"]),
    ],
)
def test_sections_follow_the_role(qtbot: Any, empty_db: Any, role: str, sections: list[str]) -> None:
    from xinfang_desktop.ui.main_window import MainWindow

    window = MainWindow(make_ctx(empty_db))
    qtbot.addWidget(window)
    window.apply_identity(Identity.of("u", "某用户", (role,)))
    assert window.visible == sections
    assert window.current_section == sections[0]
    assert not window.shortcuts["ledger"].isEnabled() or "ledger" in sections
    window.start()
    if role == "audit_admin":
        _shot(window, "window-audit-admin")


def test_security_panel_buttons_by_role_and_account_table(qtbot: Any, empty_db: Any) -> None:
    from xinfang_desktop.ui.security_panel import SecurityPanel

    admin = create_account(empty_db, "guan", PASSWORD, roles=["system_admin"])
    create_account(empty_db, "zhang", PASSWORD, display_name="张三", actor=Identity.of("guan", "guan", admin.roles))
    set_acting(Identity.of("guan", "王管理", ("system_admin",)))
    panel = SecurityPanel(make_ctx(empty_db))
    qtbot.addWidget(panel)
    panel.start()
    assert panel.table.rowCount() == 2 and panel.table.item(1, 1).text() == "张三"
    assert panel.table.item(1, 4).text() == "在用（须改口令）"
    assert not panel.buttons["add"].isHidden() and panel.buttons["roles"].isHidden()
    panel.resize(900, 500)
    _shot(panel, "security-sysadmin")
    set_acting(Identity.of("an", "安全员", ("security_admin",)))
    panel2 = SecurityPanel(make_ctx(empty_db))
    qtbot.addWidget(panel2)
    assert panel2.buttons["add"].isHidden() and not panel2.buttons["roles"].isHidden()
    assert [panel2.tabs.tabText(i) for i in range(panel2.tabs.count())] == ["账号", "安全策略"]


def test_security_panel_assigns_roles_and_refuses_three_roles_mixed(
    qtbot: Any, empty_db: Any, monkeypatch: Any
) -> None:
    from xinfang_desktop.ui import security_panel

    create_account(empty_db, "guan", PASSWORD, roles=["system_admin"])
    create_account(empty_db, "zhang", PASSWORD, actor=Identity.of("guan", "guan", ("system_admin",)))
    set_acting(Identity.of("an", "安全员", ("security_admin",)))
    panel = security_panel.SecurityPanel(make_ctx(empty_db))
    qtbot.addWidget(panel)
    panel.start()
    panel.table.selectRow(1)
    chosen = {"roles": ["registrar", "audit_admin"]}
    monkeypatch.setattr(security_panel.RolesDialog, "exec", lambda self: 1)
    monkeypatch.setattr(security_panel.RolesDialog, "roles", lambda self: chosen["roles"])
    panel.assign_roles()
    assert "三员分立" in panel.message.text()
    chosen["roles"] = ["registrar"]
    panel.assign_roles()
    assert panel.message.text() == "已更新“zhang”的角色"
    assert {a.login: a.roles for a in list_accounts(empty_db)}["zhang"] == ("registrar",)


def test_idle_lock_covers_the_window_and_hides_case_windows(qtbot: Any, ctx: Any) -> None:
    from PySide6.QtWidgets import QDialog

    from xinfang_desktop.ui.main_window import MainWindow
    from xinfang_desktop.ui.session_lock import SessionLock

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.start()
    other = QDialog(window)
    other.show()
    lock = SessionLock(window, ctx, "zhang", 15)
    lock.lock()
    assert lock.locked and lock.cover.isVisible() and not other.isVisible()
    assert lock.cover.geometry() == window.rect()
    _shot(window, "locked")
    lock.unlock()
    assert not lock.cover.isVisible() and other.isVisible()
    lock.stop()


def test_apply_identity_sets_the_author_of_changes(qtbot: Any, empty_db: Any) -> None:
    from xinfang_desktop.ui.main_window import MainWindow

    ctx = make_ctx(empty_db)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.apply_identity(Identity.of("zhang", "张三", ("registrar",)))
    assert ctx.user == "zhang" and window.status.user_label.text() == "用户：张三"
    assert acting() is None  # the window shows; the sign-in flow (ui/sign_in.py) sets the acting identity


def test_security_panel_sets_a_data_scope_by_ticking_the_registers(qtbot: Any, empty_db: Any, monkeypatch: Any) -> None:
    """数据范围…: the 安全管理员 ticks 东湖镇 and a unit in searchable lists; the account is limited, and shown so."""
    from xinfang_desktop.persistence.reference_data import seed_reference_data
    from xinfang_desktop.ui import scope_dialog, security_panel

    seed_reference_data(empty_db)
    create_account(empty_db, "guan", PASSWORD, roles=["system_admin"])
    create_account(empty_db, "zhang", PASSWORD, actor=Identity.of("guan", "guan", ("system_admin",)))
    set_acting(Identity.of("an", "安全员", ("security_admin",)))
    panel = security_panel.SecurityPanel(make_ctx(empty_db))
    qtbot.addWidget(panel)
    panel.start()
    assert panel.table.item(1, 3).text() == "全县"
    panel.table.selectRow(1)

    def tick(dialog: Any) -> int:
        dialog.township_list.search.setText("东湖")
        visible = [dialog.township_list.list.item(i) for i in range(dialog.township_list.list.count())]
        assert [i.text() for i in visible if not i.isHidden()] == ["东湖镇（331221101）"]
        dialog.township_list.set_checked("331221101")
        dialog.unit_list.set_checked("示范县公安局")
        dialog.grab().save("/tmp/scope_dialog.png")
        return 1

    monkeypatch.setattr(scope_dialog.ScopeDialog, "exec", tick)
    panel.assign_scope()
    assert panel.message.text() == "已设置“zhang”的数据范围：东湖镇（331221101）、示范县公安局"
    account = {a.login: a for a in list_accounts(empty_db)}["zhang"]
    assert (account.townships, account.units) == (("331221101",), ("示范县公安局",))
    assert panel.table.item(1, 3).text() == "331221101、示范县公安局"


def test_the_security_admin_sets_the_audit_retention_in_the_policy_tab(qtbot: Any, empty_db: Any) -> None:
    """R18 in the window: 安全策略 holds the audit retention, at least the legal floors, saved with the policy."""
    from xinfang_desktop.persistence.audit_log import retention
    from xinfang_desktop.ui import security_panel

    create_account(empty_db, "guan", PASSWORD, roles=["system_admin"])
    set_acting(Identity.of("an", "安全员", ("security_admin",)))
    panel = security_panel.SecurityPanel(make_ctx(empty_db))
    qtbot.addWidget(panel)
    panel.start()
    logs, personal = panel.retention_fields["logs_days"], panel.retention_fields["personal_days"]
    assert (logs.value(), personal.value()) == (180, 1096) and logs.minimum() == 180 and logs.isEnabled()
    logs.setValue(365)
    panel.save_policy()
    assert panel.message.text() == "已保存安全策略和审计保存期限"
    assert retention(empty_db) == {"logs_days": 365, "personal_days": 1096}
    set_acting(Identity.of("guan", "guan", ("system_admin",)))
    other = security_panel.SecurityPanel(make_ctx(empty_db))
    qtbot.addWidget(other)
    assert not other.retention_fields["logs_days"].isEnabled()  # the 系统管理员 sees it, may not change it
