"""A demo province for the bureau (issue 15): N demo hospitals made distinct institutions with cross-institution
cases planted for every model of docs/models.md (:mod:`.province`), and their signed bureau packages
(:mod:`.packages`). Built from the demo generator, the extract reader and the package writer, for the GUI's
screenshots, the tests and the benchmarks: below the CLI and the GUI, which both may use it."""

from feijian.demoprovince.packages import case_id_of, write_packages
from feijian.demoprovince.province import DemoInstitution, Province, build_province

__all__ = ["DemoInstitution", "Province", "build_province", "case_id_of", "write_packages"]
