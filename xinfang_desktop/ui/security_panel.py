"""账号与安全 (issue 17): accounts for the 系统管理员, roles and the security policy for the 安全管理员, the audit
log for the 审计管理员 — each sees and may press only what the role × action matrix gives it."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.access import ROLES
from xinfang_desktop.core.password_policy import LIMITS
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.role_gate import may

COLUMNS = ("账号", "姓名", "角色", "数据范围", "状态", "口令修改时间")


class RolesDialog(QDialog):
    """Checkboxes of the roles; `roles()` the chosen keys. `admin_only`: only the administrator roles offered."""

    def __init__(self, title: str, current: list[str], parent: QWidget | None = None, *, admin_only: bool = False):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.boxes: dict[str, QCheckBox] = {}
        for role in ROLES:
            if admin_only and (not role.admin or role.key == "system_admin"):
                continue
            box = QCheckBox(f"{role.label} — {role.description}")
            box.setChecked(role.key in current)
            self.boxes[role.key] = box
            layout.addWidget(box)
        note = QLabel("三员（系统管理员、安全管理员、审计管理员）各由一个账号单独担任，不兼任业务角色。")
        note.setStyleSheet("color: #616161;")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def roles(self) -> list[str]:
        return [key for key, box in self.boxes.items() if box.isChecked()]


class NewAccountDialog(QDialog):
    """账号, 姓名, an initial password (changed at first login) and, for the 系统管理员, an administrator role."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建账号")
        form = QFormLayout(self)
        self.login = QLineEdit()
        self.login.setMaxLength(32)
        self.name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("账号(&U)：", self.login)
        form.addRow("姓名(&N)：", self.name)
        form.addRow("初始口令(&P)：", self.password)
        form.addRow("再输入一次：", self.again)
        self.admin_boxes: dict[str, QCheckBox] = {}
        for role in ROLES:
            if role.admin and role.key != "system_admin":
                self.admin_boxes[role.key] = QCheckBox(role.label)
                form.addRow("" if len(self.admin_boxes) > 1 else "管理员角色：", self.admin_boxes[role.key])
        hint = QLabel("业务角色（登记员、承办人等）由安全管理员在“分配角色”中设定；新账号首次登录须修改口令。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #616161;")
        form.addRow(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def roles(self) -> list[str]:
        return [key for key, box in self.admin_boxes.items() if box.isChecked()]


class SecurityPanel(QWidget):
    """Tabs 账号, 安全策略, 审计日志."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self._ctx = ctx
        self.accounts: list[dict[str, Any]] = []
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        page = QWidget()
        col = QVBoxLayout(page)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        col.addWidget(self.table)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, action, handler in (
            ("add", "新建账号…", "user.manage", self.add_account),
            ("toggle", "停用/启用", "user.manage", self.toggle_account),
            ("reset", "重置口令…", "user.manage", self.reset_password),
            ("roles", "分配角色…", "policy.manage", self.assign_roles),
            ("scope", "数据范围…", "policy.manage", self.assign_scope),
        ):
            button = QPushButton(text)
            button.clicked.connect(handler)
            button.setVisible(may(action))
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        col.addLayout(row)
        if may("user.manage") or may("policy.manage"):
            self.tabs.addTab(page, "账号")

        policy_page = QWidget()
        form = QFormLayout(policy_page)
        self.policy_fields: dict[str, QSpinBox] = {}
        for key, (low, high, label) in LIMITS.items():
            spin = QSpinBox()
            spin.setRange(low, high)
            spin.setEnabled(may("policy.manage"))
            self.policy_fields[key] = spin
            form.addRow(label + "：", spin)
        # Retention of the audit (R18): at least the legal floors; the 安全管理员's (policy.manage) like the policy.
        from xinfang_desktop.persistence.audit_log import RETENTION_FLOORS, RETENTION_MAX_DAYS

        self.retention_fields: dict[str, QSpinBox] = {}
        for key, label in (
            ("logs_days", "审计日志保存（天，至少180）"),
            ("personal_days", "个人信息查看记录保存（天，至少1096）"),
        ):
            spin = QSpinBox()
            spin.setRange(RETENTION_FLOORS[key], RETENTION_MAX_DAYS)
            spin.setEnabled(may("policy.manage"))
            self.retention_fields[key] = spin
            form.addRow(label + "：", spin)
        self.save_policy_button = QPushButton("保存安全策略")
        self.save_policy_button.clicked.connect(self.save_policy)
        self.save_policy_button.setVisible(may("policy.manage"))
        form.addRow(self.save_policy_button)
        if may("policy.manage") or may("user.manage"):
            self.tabs.addTab(policy_page, "安全策略")

        if may("audit.read"):
            audit_page = QWidget()
            audit_col = QVBoxLayout(audit_page)
            audit_col.addWidget(
                QLabel("审计日志记录每一次写入、登录和个人信息的查看，条目以密码链相连，改动可被发现。")
            )
            self.audit_button = QPushButton("打开审计日志…")
            self.audit_button.clicked.connect(self.open_audit)
            audit_col.addWidget(self.audit_button)
            audit_col.addStretch(1)
            self.tabs.addTab(audit_page, "审计日志")

    def start(self) -> None:
        self.refresh()

    # -- loading ----------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        def job(db: Any) -> Any:
            from xinfang_desktop.persistence.audit_log import retention
            from xinfang_desktop.persistence.users import list_accounts, policy

            return [a.to_json() for a in list_accounts(db)], {**policy(db).to_json(), **retention(db)}

        self._ctx.tasks.run_db(job, self._show, self._error)

    def _show(self, result: Any) -> None:
        if not shiboken6.isValid(self) or not shiboken6.isValid(self.table):  # closed while the job ran
            return
        self.accounts, pol = result
        self.table.setRowCount(len(self.accounts))
        for r, account in enumerate(self.accounts):
            state = "已停用" if account["disabled"] else ("已锁定" if account["locked_until"] else "在用")
            if account["must_change_password"] and not account["disabled"]:
                state += "（须改口令）"
            values = (
                account["login"],
                account["display_name"],
                "、".join(account["role_labels"]) or "（未分配）",
                "、".join([*account["townships"], *account["units"]]) or "全县",
                state,
                (account["password_changed_at"] or "")[:16],
            )
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        for key, spin in [*self.policy_fields.items(), *self.retention_fields.items()]:
            spin.setValue(int(pol[key]))

    def _error(self, exc: BaseException) -> None:
        from xinfang_desktop.core.errors import DomainError

        if not shiboken6.isValid(self.message):
            return
        self.message.setStyleSheet("color: #c62828;")
        self.message.setText(exc.message if isinstance(exc, DomainError) else f"操作失败：{exc}")

    def _ok(self, text: str) -> None:
        self.message.setStyleSheet("color: #2e7d32;")
        self.message.setText(text)
        self.refresh()

    def selected(self) -> dict[str, Any] | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.accounts):
            return self.accounts[row]
        self._error(ValueError("请先在表中选择一个账号"))
        return None

    # -- actions ----------------------------------------------------------------------------------------------

    def _run(self, job: Any, done_text: str) -> None:
        self._ctx.tasks.run_db(job, lambda _r: self._ok(done_text), self._error)

    def add_account(self) -> None:
        from xinfang_desktop.persistence.identity import acting

        dialog = NewAccountDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if dialog.password.text() != dialog.again.text():
            self._error(ValueError("两次输入的口令不一致"))
            return
        login, name, password, roles = (
            dialog.login.text().strip(),
            dialog.name.text().strip() or None,
            dialog.password.text(),
            dialog.roles(),
        )
        actor = acting()

        def job(db: Any) -> Any:
            from xinfang_desktop.persistence.users import create_account

            return create_account(db, login, password, display_name=name, roles=roles, actor=actor)

        self._run(job, f"已建立账号“{login}”，首次登录须修改口令")

    def toggle_account(self) -> None:
        from xinfang_desktop.persistence.identity import acting

        account = self.selected()
        if account is None:
            return
        login, disable, actor = account["login"], not account["disabled"], acting()
        if disable:
            answer = QMessageBox.question(self, "停用账号", f"停用账号“{login}”？停用后该账号不能登录。")
            if answer != QMessageBox.StandardButton.Yes:
                return

        def job(db: Any) -> Any:
            from xinfang_desktop.persistence.users import set_disabled

            return set_disabled(db, login, disable, actor=actor)

        self._run(job, f"已{'停用' if disable else '启用'}账号“{login}”")

    def reset_password(self) -> None:
        from xinfang_desktop.persistence.identity import acting

        account = self.selected()
        if account is None:
            return
        dialog = NewAccountDialog(self)
        dialog.setWindowTitle(f"重置口令：{account['login']}")
        dialog.login.setText(account["login"])
        dialog.login.setReadOnly(True)
        dialog.name.setText(account["display_name"])
        dialog.name.setReadOnly(True)
        for box in dialog.admin_boxes.values():
            box.hide()
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if dialog.password.text() != dialog.again.text():
            self._error(ValueError("两次输入的口令不一致"))
            return
        login, password, actor = account["login"], dialog.password.text(), acting()

        def job(db: Any) -> Any:
            from xinfang_desktop.persistence.users import set_password

            return set_password(db, login, password, actor=actor)

        self._run(job, f"已重置“{login}”的口令，该用户下次登录须修改")

    def assign_roles(self) -> None:
        from xinfang_desktop.persistence.identity import acting

        account = self.selected()
        if account is None:
            return
        dialog = RolesDialog(f"分配角色：{account['login']}", account["roles"], self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        login, roles, actor = account["login"], dialog.roles(), acting()

        def job(db: Any) -> Any:
            from xinfang_desktop.persistence.users import set_roles

            return set_roles(db, login, roles, actor=actor)

        self._run(job, f"已更新“{login}”的角色")

    def assign_scope(self) -> None:
        """数据范围…: the registers are read first (database thread), then the two lists are ticked."""
        account = self.selected()
        if account is None:
            return
        from xinfang_desktop.ui.scope_dialog import scope_choices

        self._ctx.tasks.run_db(scope_choices, lambda choices: self._scope_chosen(account, choices), self._error)

    def _scope_chosen(self, account: dict[str, Any], choices: dict[str, Any]) -> None:
        from xinfang_desktop.persistence.identity import acting
        from xinfang_desktop.ui.scope_dialog import ScopeDialog

        dialog = ScopeDialog(account["login"], account, choices, self)
        self.scope_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        login, townships, units, actor = account["login"], dialog.townships(), dialog.units(), acting()

        def job(db: Any) -> Any:
            from xinfang_desktop.persistence.users import set_scope

            return set_scope(db, login, townships=townships, units=units, actor=actor)

        self._run(job, f"已设置“{login}”的数据范围：{dialog.described()}")

    def save_policy(self) -> None:
        from xinfang_desktop.persistence.identity import acting

        changes = {key: spin.value() for key, spin in self.policy_fields.items()}
        kept = {key: spin.value() for key, spin in self.retention_fields.items()}
        actor = acting()

        def job(db: Any) -> Any:
            from xinfang_desktop.persistence.audit_log import set_retention
            from xinfang_desktop.persistence.users import set_policy

            # The spin boxes hold the retention within its legal range: after a policy refused, nothing was written.
            saved = set_policy(db, changes, actor=actor)
            set_retention(db, **kept)
            return saved

        self._run(job, "已保存安全策略和审计保存期限")

    def open_audit(self) -> None:
        try:
            from xinfang_desktop.ui.audit_dialog import AuditDialog
        except ImportError:
            self._error(ValueError("审计日志查看功能尚未安装"))
            return
        dialog = AuditDialog(self._ctx, self)
        dialog.show()
