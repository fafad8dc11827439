"""Confidence intervals for observed data, as UK public-health analysts compute them.

Two helpers for figures a service records (a register count, people entering
treatment), following the Public Health England / OHID *Technical Guide:
Confidence Intervals* and the PHEindicatormethods R package:

* :func:`wilson_interval` for a proportion ``x`` out of ``n`` (Wilson's score
  method);
* :func:`byar_interval` for a count ``x`` of events (exact chi-squared, that is
  exact Poisson, limits below 10; Byar's approximation from 10 up).

Both take a confidence level in (0, 1) (0.95 and 0.998 are the usual pair), work
element by element on numpy arrays, and return a ``(lower, upper)`` pair. The
normal quantile ``z`` is computed exactly (:func:`normal_quantile`), never a
rounded 1.96. No SciPy: the normal quantile and the Poisson limits are computed
here with numpy and the standard library.

References
----------
Public Health England (2018) *Technical Guide: Confidence Intervals*. Public
Health Data Science; appendices 1 (Byar's method), 2 (chi-squared exact method)
and 3 (Wilson score method).

Anderson G, Fox S, Francis M, Fryers P, Clegg E (2018–) *PHEindicatormethods:
common public health statistics and their confidence intervals*. R package.

Wilson EB (1927) Probable inference, the law of succession, and statistical
inference. *J Am Stat Assoc* 22:209–212.

Breslow NE, Day NE (1987) *Statistical methods in cancer research, volume II*.
Lyon: IARC.

Acklam PJ (2003) An algorithm for computing the inverse normal cumulative
distribution function.
"""

from mhneed.stats.byar import BYAR_FROM, byar_interval
from mhneed.stats.normal import normal_quantile
from mhneed.stats.wilson import wilson_interval

__all__ = ["BYAR_FROM", "byar_interval", "normal_quantile", "wilson_interval"]
