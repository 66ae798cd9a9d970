"""The installer scripts: the NSIS script compiles with Debian's makensis, the Linux desktop entry is valid,
and the frozen Linux bundle passes its self-test (marked `frozen`: skip locally with -m 'not frozen')."""

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (Debian nsis) not installed")
def test_windows_installer_script_compiles_and_installs_the_whole_bundle(tmp_path):
    payload = tmp_path / "feijian"
    (payload / "_internal" / "resources").mkdir(parents=True)
    (payload / "feijian.exe").write_bytes(b"MZ stand-in for the Windows build")
    (payload / "_internal" / "resources" / "marker.txt").write_text("resources ride along", encoding="utf-8")
    out = tmp_path / "feijian-setup.exe"
    res = subprocess.run(
        ["makensis", "-V2", f"-DSRCDIR={payload}", f"-DOUTFILE={out}", "feijian.nsi"],
        cwd=INSTALLER / "windows", capture_output=True, text=True, timeout=120,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    blob = out.read_bytes()
    assert blob[:2] == b"MZ" and b"Nullsoft" in blob
    nsi = (INSTALLER / "windows" / "feijian.nsi").read_text(encoding="utf-8")
    # per-user, Chinese, Start menu, both file associations, and an uninstaller that spares user data
    assert "RequestExecutionLevel user" in nsi and '"SimpChinese"' in nsi and "$SMPROGRAMS" in nsi
    assert ".fjpkg" in nsi and ".fjcase" in nsi
    uninstall = nsi.split('Section "Uninstall"')[1]
    removals = [l.strip() for l in uninstall.splitlines() if l.strip().startswith(("RMDir", "Delete "))]
    assert removals and all("$LOCALAPPDATA" not in r and "$APPDATA" not in r for r in removals)
    assert 'RMDir /r "$INSTDIR"' not in uninstall  # only the program's own files go


def test_spec_bundles_resources_and_filters_qt_translations():
    spec = (INSTALLER / "feijian.spec").read_text(encoding="utf-8")
    assert 'str(ROOT / "resources"), "resources"' in spec
    assert "upx=False" in spec and "exclude_binaries=True" in spec  # one-folder, no UPX
    ns: dict = {}
    exec(re.search(r"def keep_data.*?return True\n", spec, re.S).group(0), ns)
    keep = ns["keep_data"]
    assert keep("PySide6/Qt/translations/qtbase_zh_CN.qm")
    assert keep("PySide6/Qt/translations/qtbase_en.qm")
    assert not keep("PySide6/Qt/translations/qtbase_de.qm")
    assert keep("resources/translations/feijian_en.qm")


def test_desktop_entry_names_the_app_in_chinese_and_opens_packages():
    text = (INSTALLER / "linux" / "feijian.desktop").read_text(encoding="utf-8")
    assert "Name[zh_CN]=飞检工作台" in text and "application/x-feijian-package" in text
    if shutil.which("desktop-file-validate"):
        res = subprocess.run(["desktop-file-validate", str(INSTALLER / "linux" / "feijian.desktop")], capture_output=True, text=True)
        assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.frozen
@pytest.mark.skipif(os.environ.get("FEIJIAN_SKIP_FROZEN") == "1", reason="FEIJIAN_SKIP_FROZEN=1")
def test_frozen_linux_bundle_passes_selftest_offscreen():
    pytest.importorskip("PyInstaller")
    res = subprocess.run([sys.executable, str(INSTALLER / "build.py"), "--selftest", "--tarball"],
                         cwd=ROOT, capture_output=True, text=True, timeout=1200)
    print(res.stdout[-4000:], res.stderr[-4000:])
    assert res.returncode == 0, res.stderr[-3000:]
    assert "selftest passed" in res.stdout
    sizes = re.search(r"unpacked size (\d+) MB", res.stdout)
    assert sizes, res.stdout
