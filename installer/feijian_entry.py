"""Entry point of the frozen app: the same `feijian` command as the console script.

``freeze_support()`` comes first: the OCR worker pool (feijian.ingest.ocr) starts *spawned* processes, which
in a pyinstaller build re-run this executable; freeze_support makes such a child run its worker instead of the
command line (a no-op outside a frozen build)."""

import multiprocessing
import sys


def run() -> int:
    multiprocessing.freeze_support()
    from feijian.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
