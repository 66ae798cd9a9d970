import multiprocessing

multiprocessing.freeze_support()  # spawned OCR workers of a frozen build (see installer/feijian_entry.py)

from feijian.cli import main  # noqa: E402

raise SystemExit(main())
