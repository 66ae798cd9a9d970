"""The case window's 自查自纠 menu: import an institution's signed self-inspection package (its ``.minisig``
beside it) and show the declared / not declared split of this case's hits."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction

from feijian.casework import self_inspection as si
from feijian.domain.errors import FeijianError
from feijian.gui import dialogs


def install(window) -> None:
    """Add the menu to a CaseWindow (``window.ctx`` the CaseContext)."""
    menu = window.menuBar().addMenu(QCoreApplication.translate("SelfInspectionMenu", "自查自纠(&S)"))
    act = QAction(QCoreApplication.translate("SelfInspectionMenu", "导入自查包…"), window)
    act.triggered.connect(lambda: import_package(window))
    menu.addAction(act)
    act = QAction(QCoreApplication.translate("SelfInspectionMenu", "自查比对…"), window)
    act.triggered.connect(lambda: show_split(window))
    menu.addAction(act)
    window.self_inspection_menu = menu


def split_text(store) -> str:
    split = si.split_hits(store)
    if split is None:
        return QCoreApplication.translate("SelfInspectionMenu", "尚未导入自查包。")
    text = (QCoreApplication.translate("SelfInspectionMenu", "自查已申报：{0} 条，金额 {1:,.2f} 元\n自查未申报：{2} 条，金额 {3:,.2f} 元")
            .format(len(split.declared), split.declared_amount, len(split.not_declared), split.not_declared_amount))
    if split.declared_not_found:
        text += "\n" + QCoreApplication.translate("SelfInspectionMenu", "申报但本案未发现：{0} 条").format(len(split.declared_not_found))
    return text


def import_package(window) -> bool:
    path = dialogs.open_file(window, QCoreApplication.translate("SelfInspectionMenu", "导入自查包"), QCoreApplication.translate("SelfInspectionMenu", "自查包 (*.json)"))
    if path is None:
        return False
    store = window.ctx.store
    try:
        pkg = si.read_package(path)
        content = si.verify_package(pkg)
        window.ctx.decide(QCoreApplication.translate("SelfInspectionMenu", "导入自查包"), lambda: si.import_package(store, pkg))
    except FeijianError as exc:
        dialogs.error(window, QCoreApplication.translate("SelfInspectionMenu", "导入自查包"), str(exc))
        return False
    dialogs.info(window, QCoreApplication.translate("SelfInspectionMenu", "导入自查包"),
                 QCoreApplication.translate("SelfInspectionMenu", "已导入 {0} 的自查包（签名者 {1}，密钥 {2}）。").format(
                     content["institution"]["name"], content["signer"]["name"], content["signer"]["key_id"])
                 + "\n\n" + split_text(store))
    return True


def show_split(window) -> None:
    dialogs.info(window, QCoreApplication.translate("SelfInspectionMenu", "自查比对"), split_text(window.ctx.store))
