"""The command's common behaviour: version, bilingual help, one-line errors, the data folder."""

import subprocess
import sys

import pytest

from feijian import __version__
from feijian.cli import build_parser
from feijian.cli.context import Context
from feijian.domain.errors import InputError


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "feijian", *args], capture_output=True, text=True, timeout=120, env=env)


def test_version():
    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"feijian {__version__}"


def test_help_is_chinese_and_english():
    text = build_parser().format_help()
    assert "飞检" in text and "flight inspections" in text
    assert "--home" in text and "--passphrase-file" in text


def test_unknown_case_is_one_clear_line_without_traceback(tmp_path, capsys):
    ctx = Context(home=tmp_path)
    with pytest.raises(InputError, match="no case named"):
        ctx.resolve_case("nosuchcase")


def test_errors_exit_non_zero_with_one_line(tmp_path):
    out = run("--home", str(tmp_path), "import", "nosuchcase", str(tmp_path))
    # whatever the command, a missing case is one line on stderr and a non-zero exit code
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr


def test_passphrase_sources(tmp_path, monkeypatch):
    f = tmp_path / "pass.txt"
    f.write_text("秘密 passphrase\n", encoding="utf-8")
    assert Context(home=tmp_path, passphrase_file=f).passphrase() == "秘密 passphrase"
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", "from-env")
    assert Context(home=tmp_path).passphrase() == "from-env"
    monkeypatch.delenv("FEIJIAN_PASSPHRASE")
    monkeypatch.setattr("sys.stdin", open(f))  # not a terminal: no prompt, a clear error
    with pytest.raises(InputError, match="passphrase"):
        Context(home=tmp_path).passphrase()


def test_home_comes_from_option_or_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("FEIJIAN_HOME", str(tmp_path / "env"))
    args = build_parser().parse_args(["--home", str(tmp_path / "opt"), "--version"] if False else ["--home", str(tmp_path / "opt")])
    assert Context.from_args(args).home == tmp_path / "opt"
    args = build_parser().parse_args([])
    assert Context.from_args(args).home == tmp_path / "env"
