"""Build, audit and analyse composite indices of cities (and countries, regions...) from one
methodology file, with the exact core of the ``cityrank`` command.

>>> import cityrank
>>> res = cityrank.build("examples/blockchain-2020/spec.toml")
>>> res.ranking().head()          # one row per ranked unit
>>> res.write("out")              # the folder `cityrank run --out out` writes

Tables out are pandas DataFrames. Tables in (``data=``, ``units=``) are pandas, polars or
pyarrow DataFrames, or anything else with the Arrow PyCapsule interface.
"""

from __future__ import annotations

import io
import json
import os
from typing import Any, Dict, Mapping, Optional, Union

import pandas as pd

from . import _cityrank
from ._cityrank import DataError, Error, SpecError, __version__

__all__ = ["build", "Result", "Error", "SpecError", "DataError", "__version__"]

PathLike = Union[str, "os.PathLike[str]"]

# Columns of the result files that hold text; every other column is a number.
_TEXT = {"unit", "name", "name_zh", "node", "parent", "level_name", "tier", "reason", "data"}


def build(
    spec: PathLike,
    data: Any = None,
    units: Any = None,
    *,
    key: Optional[str] = None,
) -> "Result":
    """Build the index a spec describes: everything ``cityrank run`` does.

    Args:
        spec: path of the methodology file (``spec.toml``).
        data: indicator values in memory instead of the spec's ``[[data]]`` files and record
            sources: one row per unit, a unit id column and one column per indicator id
            (missing values as NaN or null). pandas, polars, pyarrow or any object with
            ``__arrow_c_stream__``.
        units: the units table in memory instead of the spec's ``[units]`` file, with the
            columns the spec's ``[units]`` section names.
        key: the unit id column of ``data``; by default the ``key`` of the spec's ``[[data]]``
            tables, else the ``[units]`` id column.

    Raises:
        SpecError: the methodology file is wrong.
        DataError: a units or data table is wrong.
        Both carry ``file``, ``line``, ``field`` and ``fix``; for a table given in memory,
        ``file`` is ``"<data>"`` or ``"<units>"`` and ``row`` is the 0-based row position.
    """
    try:
        built = _cityrank.build(os.fspath(spec), _arrow(data), _arrow(units), key)
    except Error as e:
        _add_row(e)
        raise
    return Result(built)


def _arrow(table: Any) -> Any:
    """A table with the Arrow PyCapsule interface (older pandas lacks it: through pyarrow)."""
    if table is None or hasattr(table, "__arrow_c_stream__"):
        return table
    if isinstance(table, pd.DataFrame):
        import pyarrow

        return pyarrow.Table.from_pandas(table)
    return table


def _add_row(e: Error) -> None:
    """The 0-based row of a table given in memory (its CSV form has a header line)."""
    file, line = getattr(e, "file", None), getattr(e, "line", None)
    in_memory = file in ("<data>", "<units>")
    e.row = line - 2 if in_memory and line is not None and line >= 2 else None


def _frame(raw: bytes) -> pd.DataFrame:
    """A result CSV as a DataFrame: text columns as str, ranks and levels as nullable
    integers, every other column as float (empty cells as missing)."""
    df = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, na_values=[])
    for c in df.columns:
        if c in _TEXT:
            continue
        # Python's float() is correctly rounded, so every number is the one written.
        values = df[c].map(lambda x: float(x) if x else float("nan")).astype("float64")
        if c == "level" or c.endswith("rank"):
            df[c] = values.astype("Int64")
        else:
            df[c] = values.astype("float64")
    return df


class Result:
    """A built index: scores, ranking and the recipe, and the analyses around it."""

    def __init__(self, built: "_cityrank.Built") -> None:
        self._built = built
        self._files: Dict[str, bytes] = dict(built.files())

    @property
    def files(self) -> Dict[str, bytes]:
        """The result files ``cityrank run`` writes, by name, as bytes (manifest.json aside)."""
        return dict(self._files)

    @property
    def scores(self) -> pd.DataFrame:
        """Every unit's score and rank at every node, long form: the columns of scores.csv."""
        return _frame(self._files["scores.csv"])

    @property
    def excluded(self) -> pd.DataFrame:
        """The units not ranked and why (excluded.csv): unit, name, reason."""
        return _frame(self._files["excluded.csv"])

    @property
    def weights(self) -> pd.DataFrame:
        """The weights used at every node (weights.csv)."""
        return _frame(self._files["weights.csv"])

    @property
    def manifest(self) -> Dict[str, Any]:
        """The recipe: the resolved spec and its hash, the hash of every input, the program
        version, seed, counts and the hash of every output (manifest.json)."""
        return json.loads(self._built.manifest())

    def ranking(self, published: bool = False) -> pd.DataFrame:
        """One row per ranked unit, best first: rank, unit, names, the index and dimension
        scores and the tier. ``published=True`` gives the scores rounded for publication."""
        wide = _frame(self._files["scores_wide.csv"])
        index, dims = self._built.index, list(self._built.dimensions)
        nodes = [index] + dims
        ranked = wide[wide[f"{index}_rank"].notna()]
        out = pd.DataFrame({"rank": ranked[f"{index}_rank"]})
        for c in ("unit", "name", "name_zh"):
            if c in ranked:
                out[c] = ranked[c]
        for n in nodes:
            out[n] = ranked[f"{n}_published" if published else n]
        if "tier" in ranked:
            out["tier"] = ranked["tier"]
        return out.sort_values("rank", kind="stable").reset_index(drop=True)

    def write(self, out: PathLike) -> None:
        """Write the results folder ``cityrank run --out OUT`` writes, byte for byte."""
        try:
            self._built.write(os.fspath(out))
        except Error as e:
            _add_row(e)
            raise

    def uncertainty(self, n: int = 10_000, seed: Optional[int] = None) -> pd.DataFrame:
        """Monte Carlo uncertainty analysis of the ranks under the spec's ``[uncertainty]``
        assumptions: one row per ranked unit with its nominal, median, 5th and 95th percentile
        ranks, mean absolute shift and the probabilities of a top-10 and top-n place, as
        ``cityrank uncertainty -n N --seed SEED`` writes to uncertainty.csv. ``seed`` defaults
        to the spec's."""
        files = dict(self._built.uncertainty(n, seed))
        return _frame(files["uncertainty.csv"])

    def whatif(self, weights: Mapping[str, float], aggregate: Optional[str] = None) -> pd.DataFrame:
        """The ranking with other dimension weights, as the dashboard's sliders compute it.

        Args:
            weights: a relative weight (0 to 1000) for every dimension, by id, e.g.
                ``{"RD": 1, "IND": 1, "PUB": 1, "POL": 3}``.
            aggregate: ``"arithmetic"``, ``"geometric"`` or ``"harmonic"`` to aggregate the
                dimensions another way; by default the spec's.

        Returns: rank, unit, name, score, published (rounded), base_rank (the built ranking's)
            and shift (places gained), best first.
        """
        rows = self._built.whatif({k: float(v) for k, v in weights.items()}, aggregate)
        df = pd.DataFrame(rows, columns=["unit", "name", "rank", "score", "published", "base_rank"])
        df = df[["rank", "unit", "name", "score", "published", "base_rank"]]
        df["shift"] = df["base_rank"] - df["rank"]
        return df

    def __repr__(self) -> str:
        m = self.manifest
        c = m["counts"]
        return (f"<cityrank.Result {m['index']['id']}: {c['ranked']} ranked, "
                f"{c['excluded']} not ranked of {c['assessed']} assessed>")
