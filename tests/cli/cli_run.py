"""The command line as the tests call it (a unique module name: test folders have no __init__)."""

from feijian.cli import main


def run(home, *args):
    """``feijian --home HOME ARGS…``: the exit code."""
    return main(["--home", str(home), *args])
