"""首次使用：设置登录账号 (issue 17): the three administrators (三员分立) and a first clerk, created in one
transaction; until then anyone who opens the program sees everything, which the window says in its status bar."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.access import ROLES
from xinfang_desktop.ui.context import AppContext

ADMIN_DEFAULTS = (
    ("system_admin", "系统管理员", "sysadmin", "管理账号和系统维护，不能查看信访数据"),
    ("security_admin", "安全管理员", "secadmin", "设置安全策略、为账号分配角色"),
    ("audit_admin", "审计管理员", "auditor", "只能查阅和校验审计日志"),
)


class _AccountBox(QGroupBox):
    def __init__(self, title: str, login: str, note: str) -> None:
        super().__init__(title)
        form = QFormLayout(self)
        if note:
            hint = QLabel(note)
            hint.setStyleSheet("color: #616161;")
            form.addRow(hint)
        self.login = QLineEdit(login)
        self.login.setMaxLength(32)
        self.name = QLineEdit()
        self.name.setMaxLength(32)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("账号：", self.login)
        form.addRow("姓名：", self.name)
        form.addRow("口令：", self.password)
        form.addRow("再输入一次：", self.again)


class FirstRunDialog(QDialog):
    """The accounts an office needs to start with login enforced."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.created: list[Any] = []
        self.setWindowTitle("首次使用：设置登录账号")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "本数据库还没有登录账号，任何人打开本程序都能查看全部信访人信息。请设置三位管理员（三员分立：须由不同的人"
            "担任，管理员不查看信访数据）和第一位业务人员的账号。设置后每次打开程序都须登录。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        self.admins: dict[str, _AccountBox] = {}
        for i, (key, title, login, note) in enumerate(ADMIN_DEFAULTS):
            box = _AccountBox(title, login, note)
            self.admins[key] = box
            grid.addWidget(box, i // 2, i % 2)
        self.clerk = _AccountBox("业务人员", "", "登记、办理等日常工作的账号（以后可由系统管理员再建）")
        roles_row = QHBoxLayout()
        self.role_boxes: dict[str, QCheckBox] = {}
        for role in ROLES:
            if role.admin:
                continue
            check = QCheckBox(role.label)
            check.setToolTip(role.description)
            self.role_boxes[role.key] = check
            roles_row.addWidget(check)
        self.role_boxes["registrar"].setChecked(True)
        self.role_boxes["handler"].setChecked(True)
        holder = QWidget()
        holder.setLayout(roles_row)
        self.clerk.layout().addRow("角色：", holder)  # type: ignore[union-attr]
        grid.addWidget(self.clerk, 1, 1)
        layout.addLayout(grid)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("建立账号")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("以后再说")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(760)

    def specs(self) -> list[Any]:
        """The accounts to create; a Chinese message when two passwords differ or a field is empty."""
        from xinfang_desktop.persistence.users import NewAccount

        boxes: list[tuple[_AccountBox, tuple[str, ...]]] = [(box, (key,)) for key, box in self.admins.items()]
        roles = tuple(key for key, box in self.role_boxes.items() if box.isChecked())
        boxes.append((self.clerk, roles))
        specs = []
        for box, keys in boxes:
            title = box.title()
            if not box.login.text().strip():
                raise ValueError(f"{title}：请填写账号")
            if box.password.text() != box.again.text():
                raise ValueError(f"{title}：两次输入的口令不一致")
            if not keys:
                raise ValueError(f"{title}：请至少选择一个角色")
            name = box.name.text().strip() or None
            specs.append(NewAccount(box.login.text().strip(), box.password.text(), name, keys))
        return specs

    def submit(self) -> None:
        try:
            specs = self.specs()
        except ValueError as exc:
            self._show_error(str(exc))
            return
        self.ok_button.setEnabled(False)

        def job(db: Any) -> Any:
            from xinfang_desktop.persistence.users import create_accounts

            return create_accounts(db, specs, must_change=False)

        self._ctx.tasks.run_db(job, self._done, self._failed, after_paint=False)

    def _done(self, accounts: list[Any]) -> None:
        self.created = accounts
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from xinfang_desktop.core.errors import DomainError

        self.ok_button.setEnabled(True)
        self._show_error(exc.message if isinstance(exc, DomainError) else f"建立失败：{exc}")

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
