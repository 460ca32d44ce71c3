#!/usr/bin/env python3
"""DuckDB peer of `cityrank sources`: the indicators of a generated record set
(records.toml + records/*.{csv,parquet}) computed with equivalent SQL.

Same semantics as cityrank-sources:
- CSV columns are read as text (cityrank reads every CSV column as text); cells are
  trimmed of spaces, an empty cell is NULL; dates and numbers are `TRY_CAST`s of the text.
- dedup by `key`: per key the earliest-dated row, ties broken by the other columns'
  text (schema order, NULLs first, byte order), as cityrank's;
- city resolution: the distinct raw city strings are resolved by cityrank's gazetteer
  (`cityrank resolve-cities`, the same code the engine calls), and the resulting
  raw -> code table is joined to the records; only codes in the run's cities and the
  source's `covers` count;
- filters on trimmed text, cut-off `date <= cutoff`, window `date > cutoff - days`;
- count, sum (DECIMAL(38,6)), mean; the one SQL indicator (`sql = ...`) runs as written
  against a view that has `city_code` and `record_date`, as in cityrank.

Usage: sources_duckdb.py RECORDS_TOML --cityrank PATH [--values-out FILE] [--threads N]
Prints the time of the whole computation from after the imports (the interpreter's start-up
and `import duckdb` are left out; the caller times them apart); --values-out writes
`indicator,city,value`.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import tomllib

import duckdb


def q(name):
    return '"' + name.replace('"', '""') + '"'


def s(text):
    return "'" + text.replace("'", "''") + "'"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("records")
    ap.add_argument("--cityrank", required=True, help="the cityrank binary (for resolve-cities)")
    ap.add_argument("--values-out")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--memory-limit", default=None)
    a = ap.parse_args()

    t0 = time.perf_counter()
    spec_dir = os.path.dirname(os.path.abspath(a.records))
    with open(a.records, "rb") as f:
        spec = tomllib.load(f)
    with open(os.path.join(spec_dir, "expected.csv"), newline="") as f:
        cities = [r[0] for r in csv.reader(f)][1:]

    con = duckdb.connect()
    con.execute(f"SET threads = {a.threads}")
    if a.memory_limit:
        con.execute(f"SET memory_limit = '{a.memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    tmp = tempfile.mkdtemp(prefix="cityrank-duckdb-")

    # 1. Sources as views of the files, text trimmed as cityrank does.
    sources = {}
    for src in spec["source"]:
        path = os.path.join(spec_dir, src["files"])
        if path.endswith(".csv"):
            scan = f"read_csv({s(path)}, header = true, all_varchar = true, auto_detect = true)"
        else:
            scan = f"read_parquet({s(path)})"
        cols = con.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()
        types = {c[0]: c[1] for c in cols}
        sources[src["id"]] = (src, scan, [c[0] for c in cols], types)

    def text(c, types):
        if types[c] == "VARCHAR":
            return f"NULLIF(trim({q(c)}), '')"
        return f"CAST({q(c)} AS VARCHAR)"

    def date(c, types):
        if types[c] == "VARCHAR":
            return f"TRY_CAST({text(c, types)} AS DATE)"
        return f"CAST({q(c)} AS DATE)"

    def number(c, types):
        if types[c] == "VARCHAR":
            return f"TRY_CAST(TRY_CAST({text(c, types)} AS DOUBLE) AS DECIMAL(38,6))"
        return f"TRY_CAST({q(c)} AS DECIMAL(38,6))"

    # 2. The distinct city strings of every source, resolved by cityrank's gazetteer.
    parts = [
        f"SELECT DISTINCT {q(src['city_column'])} AS raw FROM {scan}"
        for (src, scan, _, _) in sources.values()
    ]
    strings = os.path.join(tmp, "strings.csv")
    mapping = os.path.join(tmp, "mapping.csv")
    con.execute(
        f"COPY (SELECT DISTINCT raw FROM ({' UNION ALL '.join(parts)}) WHERE raw IS NOT NULL) "
        f"TO {s(strings)} (HEADER, DELIMITER ',')"
    )
    t_strings = time.perf_counter()
    subprocess.run([a.cityrank, "resolve-cities", "--in", strings, "--out", mapping], check=True,
                   stderr=subprocess.DEVNULL)
    con.execute(
        f"CREATE TABLE city_map AS SELECT * FROM read_csv({s(mapping)}, header = true, "
        "all_varchar = true, quote = '\"', escape = '\"')"
    )
    t_map = time.perf_counter()
    # The run's cities and each source's coverage: one statement each (row-by-row inserts
    # would time the client, not the engine).
    con.execute("CREATE TABLE run_cities AS SELECT unnest(?::VARCHAR[]) AS code", [cities])
    pairs = [(src["id"], c) for src, _, _, _ in sources.values()
             for c in (cities if src.get("covers", "all") == "all" else src["covers"])]
    con.execute(
        "CREATE TABLE covers AS SELECT unnest(?::VARCHAR[]) AS source, unnest(?::VARCHAR[]) AS code",
        [[p[0] for p in pairs], [p[1] for p in pairs]],
    )

    # 3. Per source: deduplicated, resolved, covered rows (a view, as cityrank's).
    for sid, (src, scan, cols, types) in sources.items():
        d = src["date_column"]
        body = f"SELECT * FROM {scan}"
        if src.get("key"):
            key = ", ".join(q(k) for k in src["key"])
            order = [f"{date(d, types)} ASC NULLS LAST"]
            order += [f"CAST({q(c)} AS VARCHAR) ASC NULLS FIRST" for c in cols if c not in src["key"]]
            body = (
                f"SELECT * FROM {scan} QUALIFY row_number() OVER "
                f"(PARTITION BY {key} ORDER BY {', '.join(order)}) = 1"
            )
        con.execute(
            f"""CREATE VIEW {q(sid)} AS
            SELECT r.*, m.code AS city_code, {date(d, types)} AS record_date
            FROM ({body}) r
            JOIN city_map m ON r.{q(src['city_column'])} = m.raw
            WHERE m.code IN (SELECT code FROM run_cities)
              AND m.code IN (SELECT code FROM covers WHERE source = {s(sid)})"""
        )

    # 4. Indicators.
    values = {}
    for iid, ind in spec["indicators"].items():
        src, scan, cols, types = sources[ind["source"]]
        if "sql" in ind:
            sql = ind["sql"]
        else:
            conds = []
            for f in ind.get("filters", []):
                x = text(f["column"], types)
                v = f["value"]
                if f["op"] == "in":
                    conds.append(f"coalesce({x} IN ({', '.join(s(t) for t in v)}), false)")
                elif f["op"] == "=":
                    conds.append(f"coalesce({x} = {s(v)}, false)")
                else:
                    raise SystemExit(f"filter op {f['op']} not in this peer")
            if "cutoff" in ind:
                cutoff = str(ind["cutoff"])
                conds.append(f"record_date <= DATE {s(cutoff)}")
                if "window_days" in ind:
                    conds.append(
                        f"record_date > DATE {s(cutoff)} - INTERVAL {int(ind['window_days'])} DAY"
                    )
            where = " AND ".join(conds) if conds else "true"
            m = ind["measure"]
            if m == "count":
                agg = "count(*)"
            elif "sum" in m:
                agg = f"sum({number(m['sum'], types)})"
            elif "mean" in m:
                agg = f"sum({number(m['mean'], types)}) / count({number(m['mean'], types)})"
            else:
                raise SystemExit(f"measure {m} not in this peer")
            sql = f"SELECT city_code AS city, {agg} AS value FROM {q(src['id'])} WHERE {where} GROUP BY city_code"
        got = dict(con.execute(sql).fetchall())
        cov = src.get("covers", "all")
        covered = set(cities if cov == "all" else cov)
        values[iid] = {
            c: (float(got.get(c, 0) or 0) if c in covered else None) for c in cities
        }
    t_end = time.perf_counter()
    print(
        f"duckdb {duckdb.__version__}: {len(values)} indicators in {t_end - t0:.2f} s "
        f"(distinct city strings {t_strings - t0:.2f} s, resolution {t_map - t_strings:.2f} s)"
    )
    if a.values_out:
        with open(a.values_out, "w") as f:
            f.write("indicator,city,value\n")
            for iid in sorted(values):
                for c in sorted(values[iid]):
                    v = values[iid][c]
                    f.write(f"{iid},{c},{'' if v is None else repr(v)}\n")


if __name__ == "__main__":
    sys.exit(main())
