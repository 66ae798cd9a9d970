"""The workbench: a PySide6 desktop shell over the library. Only this package imports Qt.

Importing it first guards against PySide6's reference-count bug on CPython 3.11
(see :mod:`feijian.gui.pyside_refcounts`)."""

from feijian.gui.pyside_refcounts import pin_singletons

pin_singletons()
