"""The canary scanner of the no-plaintext tests: a canary patient name and ID number that must never be
found, in UTF-8, GBK or UTF-16, in any file outside the encrypted store (data folder, temp, logs, caches)."""

from __future__ import annotations

import os

CANARY_NAME = "欧阳金丝雀"
CANARY_ID = "11010519491231002X"
ENCODINGS = ("utf-8", "gbk", "utf-16-le", "utf-16-be")


def needles(texts=(CANARY_NAME, CANARY_ID)):
    return [(text, enc, text.encode(enc)) for text in texts for enc in ENCODINGS]


def scan(folders, texts=(CANARY_NAME, CANARY_ID), skip=()):
    """``(path, text, encoding)`` of every file under ``folders`` holding a canary (``skip``: folders
    whose files are the input the user gave, not written by feijian)."""
    wanted = needles(texts)
    skip = [os.path.realpath(s) for s in skip]
    found = []
    for folder in folders:
        for root, _, files in os.walk(folder):
            if any(os.path.realpath(root) == s or os.path.realpath(root).startswith(s + os.sep) for s in skip):
                continue
            for name in files:
                path = os.path.join(root, name)
                try:
                    with open(path, "rb") as fh:
                        data = fh.read()
                except OSError:
                    continue
                found += [(path, text, enc) for text, enc, needle in wanted if needle in data]
    return found
