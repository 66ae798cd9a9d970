"""What every command needs: the data folder, the passphrase source, output helpers."""

from __future__ import annotations

import getpass
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from feijian.domain.errors import InputError
from feijian.paths import default_home


@dataclass
class Context:
    home: Path
    debug: bool = False
    passphrase_file: Optional[Path] = None

    @classmethod
    def from_args(cls, args) -> "Context":
        home = Path(args.home) if getattr(args, "home", None) else default_home()
        pf = getattr(args, "passphrase_file", None)
        return cls(home=home, debug=bool(getattr(args, "debug", False)), passphrase_file=Path(pf) if pf else None)

    @property
    def cases_dir(self) -> Path:
        return self.home / "cases"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    def setup_logging(self) -> None:
        """Log to ``home/logs/feijian.log``. Log messages never carry patient data: only ids of cases,
        batches, rules and counts."""
        try:
            self.logs_dir.mkdir(parents=True, exist_ok=True)
            handler: logging.Handler = logging.FileHandler(self.logs_dir / "feijian.log", encoding="utf-8")
        except OSError:
            handler = logging.NullHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        root = logging.getLogger("feijian")
        root.handlers[:] = [handler]
        root.setLevel(logging.DEBUG if self.debug else logging.INFO)

    def given_passphrase(self) -> Optional[str]:
        """The passphrase from --passphrase-file or FEIJIAN_PASSPHRASE, or None when neither is given."""
        if self.passphrase_file is not None:
            return read_passphrase_file(self.passphrase_file)
        return os.environ.get("FEIJIAN_PASSPHRASE")

    def passphrase(self, prompt: str = "口令 / passphrase: ", *, confirm: bool = False) -> str:
        """The passphrase from --passphrase-file, FEIJIAN_PASSPHRASE, or a prompt without echo."""
        given = self.given_passphrase()
        if given is not None:
            return given
        if not sys.stdin or not sys.stdin.isatty():
            raise InputError("需要口令：请用 --passphrase-file 或 FEIJIAN_PASSPHRASE / a passphrase is needed: use --passphrase-file or FEIJIAN_PASSPHRASE")
        value = getpass.getpass(prompt)
        if confirm and getpass.getpass("再次输入 / again: ") != value:
            raise InputError("两次输入的口令不一致 / the passphrases differ")
        return value

    def resolve_case(self, name_or_path: str) -> Path:
        """A CASE argument: a path to a ``.fjcase`` file, or a case name in the data folder."""
        p = Path(name_or_path)
        if p.suffix == ".fjcase" or p.exists():
            if not p.exists():
                raise InputError(f"找不到案件文件 / no such case file: {p}")
            return p
        candidate = self.cases_dir / f"{name_or_path}.fjcase"
        if not candidate.exists():
            raise InputError(f"数据目录中没有名为 {name_or_path!r} 的案件 / no case named {name_or_path!r} in {self.cases_dir}")
        return candidate


def read_passphrase_file(path: Path) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"无法读取口令文件 / cannot read passphrase file {path}: {exc.strerror}") from None
    return text.rstrip("\r\n")
