"""Optional dependencies, imported only when a feature needs them.

Anything beyond numpy, pandas and pydantic (openpyxl, xlrd, matplotlib, ...)
is an optional extra. :func:`require` imports it or raises
:class:`MissingExtraError` naming the extra to install.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from mhneed.errors import MissingExtraError

__all__ = ["EXTRAS", "require"]

#: Which extra provides each optional module.
EXTRAS: dict[str, str] = {
    "openpyxl": "excel",
    "xlrd": "excel",
    "matplotlib": "plot",
    "matplotlib.pyplot": "plot",
    "dask": "dask",
    "dask.dataframe": "dask",
}


def require(module: str, feature: str) -> ModuleType:
    """Import an optional module, or say which extra to install.

    Parameters
    ----------
    module : str
        The module to import, such as ``"openpyxl"``.
    feature : str
        What needs it, for the message (such as ``"reading .xlsx files"``).

    Raises
    ------
    MissingExtraError
        ``reading .xlsx files needs openpyxl: pip install "mhneed[excel]"``.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        extra = EXTRAS.get(module, module.split(".")[0])
        raise MissingExtraError(
            f"{feature} needs {module.split('.')[0]}, an optional extra: "
            f'pip install "mhneed[{extra}]"',
            column=None,
            rule="optional extra installed",
            values=[module],
        ) from None
