"""Entry point of the frozen app: the same `feijian` command as the console script."""

import sys

from feijian.cli import main

if __name__ == "__main__":
    sys.exit(main())
