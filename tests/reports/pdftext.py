"""Helpers for reading back the PDFs in tests: text per page (pypdf) and pdffonts."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def squash(text: str) -> str:
    """Text without whitespace: a value wrapped across lines in a cell reads back whole."""
    return "".join(text.split())


def pdffonts(pdf: bytes) -> list[dict]:
    exe = shutil.which("pdffonts")
    if exe is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    out = subprocess.run([exe, "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: emb/sub/uni are the 5th–3rd last columns
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3], "line": line})
    return rows
