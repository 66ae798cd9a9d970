"""The installer scripts: the NSIS script compiles with Debian's makensis, the Linux desktop entry is valid,
and the frozen Linux bundle passes its self-test (marked `frozen`: skip locally with -m 'not frozen')."""

import importlib.util
import lzma
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"


def _load(name: str, path: Path):
    """installer/ is no package (and `build` would clash with PyPA's): load its scripts by path."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load("feijian_installer_build", INSTALLER / "build.py")
bundle_rules = _load("feijian_installer_bundle_rules", INSTALLER / "bundle_rules.py")
icu_trim = _load("feijian_installer_icu_trim", INSTALLER / "icu_trim.py")


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
    assert "keep_data(" in spec and "keep_binary(" in spec and "prune_unreferenced(" in spec
    keep = bundle_rules.keep_data
    assert keep("PySide6/Qt/translations/qtbase_zh_CN.qm")
    assert keep("PySide6/Qt/translations/qtbase_en.qm")
    assert not keep("PySide6/Qt/translations/qtbase_de.qm")
    assert keep("resources/translations/feijian_en.qm")
    assert keep("numpy-2.4.6.dist-info/licenses/numpy/_core/include/numpy/libdivide/LICENSE.txt")  # licences stay
    assert not keep("pyarrow/include/arrow/api.h") and not keep("pyarrow/table.pxi")
    # the OCR extra's models and config ride along when it is installed (no PyInstaller hook collects them)
    assert 'collect_data_files(OCR_PACKAGE)' in spec and 'OCR_PACKAGE = "rapidocr_onnxruntime"' in spec
    assert "+ OCR_DATAS" in spec and "+ OCR_IMPORTS" in spec


@pytest.mark.parametrize("dest, kept", [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6\\plugins\\platforms\\qwindows.dll", True),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/Qt/plugins/platforms/libqminimal.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/generic/libqevdevmouseplugin.so", False),
    ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),  # Chinese input
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),  # evidence photos preview
    ("pyarrow/lib.cpython-311-x86_64-linux-gnu.so", True),
    ("pyarrow/_compute.cpython-311-x86_64-linux-gnu.so", True),
    ("pyarrow/_flight.cpython-311-x86_64-linux-gnu.so", False),
    ("pyarrow/_s3fs.cpython-311-x86_64-linux-gnu.so", False),
    ("pyarrow/libarrow_flight.so.2600", False),
    ("PIL/_imaging.cpython-311-x86_64-linux-gnu.so", True),  # reportlab imports PIL.Image
    ("PIL/_avif.cpython-311-x86_64-linux-gnu.so", False),
    ("PIL/_webp.cpython-311-x86_64-linux-gnu.so", True),  # the OCR import reads WebP photos
    ("python3.11/lib-dynload/_codecs_cn.cpython-311-x86_64-linux-gnu.so", True),  # GBK extracts
    ("python3.11/lib-dynload/readline.cpython-311-x86_64-linux-gnu.so", False),
    ("python3.11/lib-dynload/_codecs_tw.cpython-311-x86_64-linux-gnu.so", False),
    ("python3.11/lib-dynload/_multibytecodec.cpython-311-x86_64-linux-gnu.so", True),
])
def test_binary_filter_keeps_what_feijian_loads(dest, kept):
    assert bundle_rules.keep_binary(dest) is kept


def test_libraries_opened_with_ctypes_are_kept_though_nothing_links_them():
    toc = [("pypdfium2_raw/libpdfium.so", "/x/libpdfium.so", "BINARY"),
           ("onnxruntime/capi/libonnxruntime_providers_shared.so", "/x/p.so", "BINARY"),
           ("libunused.so.1", "/x/libunused.so.1", "BINARY")]
    kept, pruned = bundle_rules.prune_unreferenced(toc, lambda src: [])
    assert [e[0] for e in kept] == ["pypdfium2_raw/libpdfium.so", "onnxruntime/capi/libonnxruntime_providers_shared.so"]
    assert [e[0] for e in pruned] == ["libunused.so.1"]


def test_prune_drops_libraries_only_dropped_parts_linked_and_dead_copies():
    toc = [
        ("pyarrow/lib.cpython-311-x86_64-linux-gnu.so", "/site/pyarrow/lib.so", "BINARY"),  # linked by _compute
        ("pyarrow/_compute.cpython-311-x86_64-linux-gnu.so", "/site/pyarrow/_compute.so", "EXTENSION"),
        ("pyarrow/libarrow_python.so.2600", "/site/pyarrow/libarrow_python.so.2600", "BINARY"),
        ("pyarrow/libarrow_python.so", "/site/pyarrow/libarrow_python.so", "BINARY"),  # dead copy
        ("pyarrow/libarrow.so.2600", "/site/pyarrow/libarrow.so.2600", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/site/qxcb.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/site/libQt6XcbQpa.so.6", "BINARY"),
        ("libxcb-cursor.so.0", "/usr/lib/libxcb-cursor.so.0", "BINARY"),
        ("libcairo.so.2", "/usr/lib/libcairo.so.2", "BINARY"),  # only the dropped GTK theme linked it
        ("libpixman-1.so.0", "/usr/lib/libpixman-1.so.0", "BINARY"),
        ("libpython3.11.so.1.0", "/usr/lib/libpython3.11.so.1.0", "BINARY"),  # dlopen()ed by the bootloader
        ("libarrow.so.2600", "pyarrow/libarrow.so.2600", "SYMLINK"),
        ("libcairo.so.2.1", "libcairo.so.2", "SYMLINK"),
    ]
    needs = {
        "/site/pyarrow/_compute.so": ["lib.cpython-311-x86_64-linux-gnu.so", "libarrow.so.2600"],
        "/site/pyarrow/lib.so": ["libarrow_python.so.2600"],
        "/site/pyarrow/libarrow_python.so.2600": ["libarrow.so.2600", "libc.so.6"],
        "/site/qxcb.so": ["libQt6XcbQpa.so.6"],
        "/usr/lib/libcairo.so.2": ["libpixman-1.so.0"],
    }
    kept, dropped = bundle_rules.prune_unreferenced(toc, lambda src: needs.get(src, []))
    assert {e[0] for e in dropped} == {"pyarrow/libarrow_python.so", "libcairo.so.2", "libpixman-1.so.0",
                                       "libcairo.so.2.1"}
    assert len(kept) + len(dropped) == len(toc)
    assert ("libarrow.so.2600", "pyarrow/libarrow.so.2600", "SYMLINK") in kept


@pytest.mark.skipif(shutil.which("strip") is None, reason="binutils strip not installed")
def test_strip_shrinks_libraries_but_spares_patchelf_rewritten_wheel_libs(tmp_path):
    import ctypes
    import _csv  # a stdlib extension module built with symbols

    source = Path(_csv.__file__)
    sections = subprocess.run(["readelf", "-S", "-W", str(source)], capture_output=True, text=True).stdout
    if ".symtab" not in sections:
        pytest.skip("this Python's _csv module is already stripped: nothing to measure")
    bundle = tmp_path / "feijian"
    plain = bundle / "_internal" / "pkg" / "_mod.cpython-311-x86_64-linux-gnu.so"
    wheel_lib = bundle / "_internal" / "pkg.libs" / "libvendored-1a2b3c.so.1"
    for target in (plain, wheel_lib):
        target.parent.mkdir(parents=True)
        shutil.copy2(source, target)
    saved = build.strip_binaries(bundle)
    assert saved == source.stat().st_size - plain.stat().st_size > 0
    assert wheel_lib.read_bytes() == source.read_bytes()
    ctypes.CDLL(str(plain))  # still a loadable shared object


def test_size_report_groups_by_package_and_lists_largest_files(tmp_path):
    bundle = tmp_path / "feijian"
    (bundle / "_internal" / "pyarrow").mkdir(parents=True)
    (bundle / "_internal" / "pyarrow" / "libarrow.so").write_bytes(b"a" * 3 * 2**20)
    (bundle / "_internal" / "pyarrow" / "lib.so").write_bytes(b"b" * 2**20)
    (bundle / "_internal" / "libpython3.11.so.1.0").write_bytes(b"c" * 2 * 2**20)
    (bundle / "feijian").write_bytes(b"d" * 2**19)
    report = build.size_report(bundle, top=2)
    packages, largest = report.split("largest 2 files")
    assert packages.splitlines()[1:] == ["      4.0  pyarrow", "      2.0  libpython3.11.so.1.0"]
    assert largest.splitlines()[1:] == ["      3.0  _internal/pyarrow/libarrow.so", "      2.0  _internal/libpython3.11.so.1.0"]


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
    res = subprocess.run([sys.executable, str(INSTALLER / "build.py"), "--selftest", "--tarball", "--sizes"],
                         cwd=ROOT, capture_output=True, text=True, timeout=1200)
    print(res.stdout[-6000:], res.stderr[-4000:])
    assert res.returncode == 0, res.stderr[-3000:]
    assert "selftest passed" in res.stdout
    sizes = re.search(r"unpacked size (\d+) MB", res.stdout)
    assert sizes, res.stdout
    internal = ROOT / "dist" / "feijian" / "_internal"
    names = {str(p.relative_to(internal)) for p in internal.rglob("*")}
    # on-screen platforms for Linux desktops stay next to offscreen; the parts measured as never loaded are gone
    for needed in ("PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqwayland.so",
                   "PySide6/Qt/plugins/platforms/libqoffscreen.so", "PySide6/Qt/translations/qtbase_zh_CN.qm"):
        assert needed in names, needed
    gone = [n for n in names if re.search(r"libqgtk3|libcairo|libpango|pyarrow/_flight|pyarrow/include|"
                                          r"libqvnc|libQt6Network|translations/qtbase_de", n)]
    assert gone == []
    sections = subprocess.run(["readelf", "-S", "-W", str(internal / "pyarrow" / "libarrow.so.2600")],
                              capture_output=True, text=True, check=True).stdout
    assert ".symtab" not in sections  # stripped after the build
    tarball = next((ROOT / "dist").glob("feijian-*-linux-*.tar.gz"))
    with tarfile.open(tarball) as tar:
        links = {m.name.split("/feijian/", 1)[1]: m.linkname for m in tar.getmembers() if m.issym()}
    bundle_links = {str(p.relative_to(ROOT / "dist" / "feijian")): os.readlink(p)
                    for p in (ROOT / "dist" / "feijian").rglob("*") if p.is_symlink()}
    assert bundle_links and links == bundle_links  # symlinks stay links, not second copies


@pytest.mark.parametrize("item, kept", [
    ("coll/zh.res", True), ("coll/zh_Hans.res", True), ("coll/root.res", True), ("coll/ucadata.icu", True),
    ("coll/de.res", False), ("coll/de_.res", False), ("zone/en.res", True), ("zone/fr.res", False),
    ("zone/res_index.res", True), ("zone/pool.res", True), ("zh_Hans_CN.res", True), ("sr_Latn_BA.res", False),
    ("root.res", True), ("supplementalData.res", True), ("zoneinfo64.res", True), ("metaZones.res", True),
    ("cnvalias.icu", True), ("uprops.icu", True), ("nfkc.nrm", True),
    ("gb18030.cnv", True), ("windows-936-2000.cnv", True), ("ibm-1386_P100-2001.cnv", True),
    ("ibm-943_P15A-2003.cnv", False), ("euc-tw-2014.cnv", False),
    ("brkitr/cjdict.dict", False), ("brkitr/word.brk", True), ("translit/root.res", False),
])
def test_icu_trim_keeps_chinese_english_and_core_tables(item, kept):
    assert icu_trim.keep_item(item) is kept


ICU_PROBE = """
from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone
maps = open("/proc/self/maps").read()
print([l.split()[-1] for l in maps.splitlines() if "libicudata" in l][0])
c = QCollator(QLocale("zh_CN"))
print(" ".join(sorted(["张伟", "李娜", "王芳", "赵强", "陈静", "阿明"], key=c.sortKey)))
tz = QTimeZone(b"Asia/Shanghai")
print(tz.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale("zh_CN")))
print(tz.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale("en_US")))
print(QStringDecoder("GB18030").isValid(), QStringDecoder("GBK").isValid(), QStringDecoder("Shift_JIS").isValid())
"""


@pytest.mark.skipif(any(shutil.which(t) is None for t in icu_trim.TOOLS) or not sys.platform.startswith("linux"),
                    reason="needs Linux with icupkg/genccode (Debian icu-devtools) and binutils")
def test_trimmed_icu_data_still_serves_qt_in_chinese_and_english(tmp_path):
    PySide6 = pytest.importorskip("PySide6")
    original = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    trimmed = tmp_path / original.name
    shutil.copy2(original, trimmed)
    saved = icu_trim.trim_icu_data(trimmed)
    assert saved > original.stat().st_size // 2  # most of the 31 MB is other languages

    def probe(libdir):
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        if libdir:
            env["LD_LIBRARY_PATH"] = str(libdir)  # beats the RUNPATH of PySide6's libicuuc
        res = subprocess.run([sys.executable, "-c", ICU_PROBE], capture_output=True, text=True, env=env, timeout=120)
        assert res.returncode == 0, res.stderr
        return res.stdout.splitlines()

    whole, cut = probe(None), probe(tmp_path)
    assert cut[0] == str(trimmed)
    assert cut[1] == whole[1] == "阿明 陈静 李娜 王芳 张伟 赵强"  # pinyin order needs the zh collation
    assert cut[2] == whole[2] and cut[2]  # 中国标准时间
    assert cut[3] == whole[3] == "China Standard Time"
    assert cut[4] == "True True False"  # mainland converters stay; Japanese ones are gone


def test_xz_tarball_uses_the_x86_branch_filter_and_unpacks_with_tarfile(tmp_path, monkeypatch):
    assert [f["id"] for f in build.xz_filters("x86_64")] == [lzma.FILTER_X86, lzma.FILTER_LZMA2]
    assert [f["id"] for f in build.xz_filters("aarch64")] == [lzma.FILTER_LZMA2]
    assert build.xz_filters("x86_64")[-1]["dict_size"] == 256 * 2**20
    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "feijian").write_bytes(bytes(range(256)) * 64)
    (bundle / "_internal" / "libx.so.1").write_bytes(b"\x7fELF" + b"\xe8\x00\x00\x00\x00" * 500)
    (bundle / "_internal" / "libx.so").symlink_to("libx.so.1")
    monkeypatch.setattr(build, "DIST", tmp_path / "dist")
    (tmp_path / "dist").mkdir()
    out = build.linux_tarball(bundle, "xz")
    assert out.name.endswith(".tar.xz")
    with tarfile.open(out, "r:xz") as tar:
        members = {m.name.split("/", 1)[1]: m for m in tar.getmembers() if "/" in m.name}
        assert members["feijian/_internal/libx.so"].issym()
        assert tar.extractfile(members["feijian/feijian"]).read() == (bundle / "feijian").read_bytes()
    assert {"install.sh", "feijian.desktop", "feijian.svg"} <= set(members)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="install.sh is the Linux per-user installer")
def test_linux_install_script_installs_into_a_fresh_home_and_keeps_symlinks(tmp_path):
    stage = tmp_path / "feijian-0.1.0"
    (stage / "feijian" / "_internal" / "PySide6").mkdir(parents=True)
    (stage / "feijian" / "feijian").write_text("#!/bin/sh\necho frozen\n", encoding="utf-8")
    (stage / "feijian" / "feijian").chmod(0o755)
    (stage / "feijian" / "_internal" / "PySide6" / "libQt6Core.so.6").write_bytes(b"\x7fELF stand-in")
    (stage / "feijian" / "_internal" / "libQt6Core.so.6").symlink_to("PySide6/libQt6Core.so.6")
    for name in ("feijian.desktop", "feijian.svg", "feijian-mime.xml", "install.sh"):
        shutil.copy2(INSTALLER / "linux" / name, stage / name)
    home = tmp_path / "home"
    home.mkdir()  # a new account: no ~/.local yet
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    res = subprocess.run(["sh", str(stage / "install.sh")], env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    app = home / ".local" / "share" / "feijian-app"
    assert (app / "_internal" / "libQt6Core.so.6").is_symlink()
    assert subprocess.run([str(home / ".local" / "bin" / "feijian")], capture_output=True, text=True).stdout == "frozen\n"
    desktop = (home / ".local" / "share" / "applications" / "feijian.desktop").read_text(encoding="utf-8")
    assert f"Exec={app}/feijian" in desktop
    # a second run (upgrade) replaces the program and leaves the user's data folder alone
    data = home / ".local" / "share" / "feijian" / "cases" / "a.fjcase"
    data.parent.mkdir(parents=True)
    data.write_bytes(b"case")
    res = subprocess.run(["sh", str(stage / "install.sh")], env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert data.read_bytes() == b"case" and not (home / ".local" / "share" / "feijian-app.new").exists()
