"""The workbench: a PySide6 desktop shell over the library. Only this package imports Qt."""
