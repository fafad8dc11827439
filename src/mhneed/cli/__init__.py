"""The ``mhneed`` command: a thin layer over the public functions.

::

    mhneed demo                      # Rutland: APMS 2014 and perinatal estimates, printed and saved
    mhneed tables                    # the shipped rate tables, the default first
    mhneed table apms_2014_by_age_sex  # one table: conditions, bands, periods, cells, sources
    mhneed estimate --population "UK females-Table 1.csv" --population "UK males-Table 1.csv" \\
        --areas E06000017 --out rutland.xlsx   # --table apms_2014_by_age_sex by default
    mhneed perinatal --births "Table 3-Table 1.csv" --areas Rutland --out births.csv

Bad input exits with status 2 and one line saying what is wrong (the full
traceback with ``--debug``); an unexpected failure exits with status 1, also in
one line. A closed pipe (``mhneed table apms_2014 | head -1``) ends quietly
with status 141, as a command killed by SIGPIPE would. Progress goes to
standard error, only when it is a terminal. See ``docs/cli.md``.

The package, one module per concept:

* :mod:`~mhneed.cli.run`: :func:`main`, exit statuses; :mod:`~mhneed.cli.messages`:
  errors and warnings as one line each;
* :mod:`~mhneed.cli.parser`: the arguments, one function per subcommand;
* the commands: :mod:`~mhneed.cli.demo`, :mod:`~mhneed.cli.tables_command`
  (``tables`` and ``table``), :mod:`~mhneed.cli.estimate_command`,
  :mod:`~mhneed.cli.perinatal_command`;
* their inputs: :mod:`~mhneed.cli.inputs` (population and births files, areas,
  groupings), :mod:`~mhneed.cli.table_file` (``--table FILE``),
  :mod:`~mhneed.cli.options` (lists, rounding);
* their outputs: :mod:`~mhneed.cli.output_paths` (checks before writing),
  :mod:`~mhneed.cli.write_reports`, :mod:`~mhneed.cli.layouts` (``by-area``,
  ``by-year``), :mod:`~mhneed.cli.charts`;
* :mod:`~mhneed.cli.progress` (progress line and bar) and
  :mod:`~mhneed.cli.estimate_in_parts` (long runs part by part).
"""

from __future__ import annotations

from mhneed.cli.run import main

__all__ = ["main"]
