"""The demo scale the demodata tests generate (shared by conftest.py and the tests)."""

SMALL = 0.05
