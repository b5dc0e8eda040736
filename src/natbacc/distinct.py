"""Work done once per distinct value of a column, then spread back over its rows.

Export columns repeat themselves (a class code for every pupil in the class, a subject for every
enrolment, a year group for every pupil in the year), so parsing the distinct values and taking the
results is the same answer for a fraction of the work. Every parser in the core does it this one way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, overload

import pandas as pd

#: What a parser returns, aligned with its input: one Series or DataFrame ...
Part = TypeVar("Part", pd.Series, pd.DataFrame)
#: ... or a tuple of them (values plus masks); ``by_unique`` is overloaded for the tuple shapes parsers return.
Pair = tuple[pd.Series, pd.Series]
Triple = tuple[pd.Series, pd.Series, pd.Series]


@overload
def by_unique(series: pd.Series, parse: Callable[[pd.Series], Pair]) -> Pair: ...
@overload
def by_unique(series: pd.Series, parse: Callable[[pd.Series], Triple]) -> Triple: ...
@overload
def by_unique(series: pd.Series, parse: Callable[[pd.Series], Part]) -> Part: ...
def by_unique(
    series: pd.Series, parse: Callable[[pd.Series], pd.Series | pd.DataFrame | tuple[pd.Series, ...]]
) -> pd.Series | pd.DataFrame | tuple[pd.Series | pd.DataFrame, ...]:
    """``parse(series)`` worked out once per distinct value and spread back over the rows.

    Export columns repeat themselves (a class code per pupil in the class, a subject per enrolment):
    parsing the distinct values and taking the results is the same answer for a fraction of the
    string work. ``parse`` returns a Series, a DataFrame, or a tuple of Series, aligned with its input.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    if len(uniques) * 2 > len(series):
        return parse(series)
    result = parse(pd.Series(uniques, dtype=series.dtype))

    def spread(part: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
        return part.iloc[codes].set_axis(series.index)

    return tuple(spread(r) for r in result) if isinstance(result, tuple) else spread(result)
