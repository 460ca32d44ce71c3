#!/usr/bin/env python3
"""Checks that the record definitions of an example give exactly its indicator values.

Reads records.toml ([[source]] and [indicators.*], the shape cityrank-sources reads),
the record files it names, the bundled gazetteer and the example's cities, computes
every indicator in plain Python (no SQL engine, no data-frame library; Parquet files
are only read through pyarrow), and compares with data/indicators.csv cell by cell:
an empty cell must be a city the source does not cover, any other cell must equal the
computed value exactly (decimal arithmetic). Prints how city strings resolved.

    python3 scripts/check-records.py [examples/blockchain-2020]

Independent of the Rust code on purpose: the city resolution is reimplemented here from
the gazetteer table, so a disagreement with cityrank-gazetteer shows as a failure.
"""

import csv
import datetime as dt
import glob
import os
import re
import sys
import tomllib
from collections import Counter, defaultdict
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GAZETTEER = os.path.join(ROOT, "crates/cityrank-gazetteer/data/gazetteer.csv")

# ---------------------------------------------------------------- resolution


def normalise(raw):
    out = []
    for c in raw:
        o = ord(c)
        if c == "\u3000":
            c = " "
        elif 0xFF01 <= o <= 0xFF5E:
            c = chr(o - 0xFEE0)
        if c.isspace() or (c.isascii() and not c.isalnum()) or c in "\u200b\ufeff’‘“”·・、。—–":
            continue
        if "A" <= c <= "Z":
            c = c.lower()
        for plain, marked in (("a", "āáǎàĀÁǍÀ"), ("e", "ēéěèĒÉĚÈêÊ"), ("i", "īíǐìĪÍǏÌ"),
                              ("o", "ōóǒòŌÓǑÒ"), ("u", "ūúǔùŪÚǓÙüǖǘǚǜÜǕǗǙǛ")):
            if c in marked:
                c = plain
        out.append(c)
    return "".join(out)


SUFFIXES = ["autonomousprefecture", "prefecture", "zizhizhou", "league", "city", "diqu", "meng",
            "shi", "自治州", "地区", "盟", "市"]
PROVINCE_EXTRA = {"150000": ["neimenggu", "neimongol", "neimonggol"], "540000": ["xizang"],
                  "810000": ["hongkong", "xianggang"], "820000": ["macao", "aomen"]}


class Gazetteer:
    def __init__(self, path):
        self.index = defaultdict(list)
        self.province_of = {}
        provinces = {}
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                code = row["code"]
                self.province_of[code] = row["province_code"]
                names = [row["name_zh"], row["name_en"]] + [a for a in row["aliases"].split("|") if a]
                for n in names:
                    k = normalise(n)
                    if k and code not in self.index[k]:
                        self.index[k].append(code)
                for k in self.province_keys(row):
                    provinces.setdefault(k, row["province_code"])
        self.provinces = sorted(provinces.items(), key=lambda kv: (-len(kv[0].encode()), kv[0]))
        self.cache = {}

    @staticmethod
    def province_keys(row):
        zh, en = normalise(row["province_zh"]), normalise(row["province_en"])
        keys = [zh, en]
        for s in ["特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"]:
            if zh.endswith(s) and len(zh) > len(s):
                keys.append(zh[: -len(s)])
                break
        if en:
            keys += [en + s for s in ["province", "sheng", "shi", "city", "autonomousregion", "zizhiqu", "sar"]]
        keys += PROVINCE_EXTRA.get(row["province_code"], [])
        return [k for k in keys if k]

    def candidates(self, key):
        if key in self.index:
            return list(self.index[key])
        for s in SUFFIXES:
            if key.endswith(s) and len(key) > len(s) and key[: -len(s)] in self.index:
                return list(self.index[key[: -len(s)]])
        return []

    def with_district(self, key):
        if not key or key[-1] not in "区县旗市镇乡":
            return []
        for end in range(len(key) - 1, 0, -1):
            head = key[:end]
            if (head[-1] in "市州盟" or head.endswith("地区")) and head in self.index:
                return list(self.index[head])
        return []

    def qualified(self, key):
        for pk, province in self.provinces:
            rests = []
            if key.startswith(pk):
                rests.append(key[len(pk):])
            if key.endswith(pk):
                rests.append(key[: -len(pk)])
            for rest in rests:
                if not rest:
                    continue
                found = self.candidates(rest) or self.with_district(rest)
                found = [c for c in found if self.province_of[c] == province]
                if found:
                    return found
        return []

    def resolve(self, raw):
        """(code or None, ambiguous?)"""
        if raw in self.cache:
            return self.cache[raw]
        key = normalise(raw)
        found = (self.candidates(key) or self.qualified(key) or self.with_district(key)) if key else []
        out = (found[0], False) if len(found) == 1 else (None, len(found) > 1)
        self.cache[raw] = out
        return out


# ---------------------------------------------------------------- records


def read_rows(path, fmt):
    """Rows as dicts of text cells, as a CSV reader would see them ('' = empty)."""
    if fmt == "csv":
        with open(path, encoding="utf-8", newline="") as f:
            yield from csv.DictReader(f)
        return
    import pyarrow.parquet as pq  # only to read the file

    for batch in pq.ParquetFile(path).iter_batches(batch_size=65536):
        for rec in batch.to_pylist():
            yield {k: "" if v is None else (v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in rec.items()}


def btrim(s):
    return s.strip(" ")


def parse_date(s):
    return dt.date.fromisoformat(btrim(s))


def check(example_dir):
    with open(os.path.join(example_dir, "records.toml"), "rb") as f:
        spec = tomllib.load(f)
    gaz = Gazetteer(GAZETTEER)
    with open(os.path.join(example_dir, "data/cities.csv"), encoding="utf-8") as f:
        universe = [r["unit"] for r in csv.DictReader(f)]
    with open(os.path.join(example_dir, "data/indicators.csv"), encoding="utf-8") as f:
        published = {r["unit"]: r for r in csv.DictReader(f)}

    failures = 0
    print(f"{'source':<11}{'rows':>8}{'dups':>7}{'empty':>7}{'unknown':>8}{'ambig':>7}{'outside':>8}{'used':>8}")
    used_rows = {}
    for src in spec["source"]:
        files = sorted(glob.glob(os.path.join(example_dir, src["files"])))
        assert files, f"{src['id']}: no file matches {src['files']}"
        fmt = src.get("format") or os.path.splitext(files[0])[1][1:]
        rows = [r for p in files for r in read_rows(p, fmt)]
        n_read = len(rows)
        key = src.get("key")
        date_col = src.get("date_column")
        if key:
            best = {}
            for r in rows:
                k = tuple(r[c] for c in key)
                order = (parse_date(r[date_col]) if date_col and r[date_col] else dt.date.max,
                         tuple(v for c, v in r.items() if c not in key))
                if k not in best or order < best[k][0]:
                    best[k] = (order, r)
            rows = [v[1] for v in best.values()]
        covers = src["covers"]
        covered = set(universe) if covers == "all" else set(covers) & set(universe)
        stats = Counter()
        kept = []
        for r in rows:
            raw = btrim(r[src["city_column"]])
            if not raw:
                stats["empty"] += 1
                continue
            code, ambiguous = gaz.resolve(raw)
            if code is None:
                stats["ambiguous" if ambiguous else "unknown"] += 1
            elif code in covered:
                r["city_code"] = code
                kept.append(r)
            else:
                stats["outside"] += 1
        used_rows[src["id"]] = (src, kept, covered)
        print(f"{src['id']:<11}{n_read:>8}{n_read - len(rows):>7}{stats['empty']:>7}{stats['unknown']:>8}"
              f"{stats['ambiguous']:>7}{stats['outside']:>8}{len(kept):>8}")

    print()
    for ind_id, ind in spec["indicators"].items():
        src, kept, covered = used_rows[ind["source"]]
        values = defaultdict(lambda: [Decimal(0), 0, 0])  # sum, n of values, rows used
        if "sql" in ind:
            sql = ind["sql"]
            weights = dict((k, Decimal(v)) for k, v in re.findall(r"WHEN '([^']+)' THEN (\d+)", sql))
            column = re.search(r"trim\((\w+)\)", sql).group(1)
            cutoff = dt.date.fromisoformat(re.search(r"DATE '(\d{4}-\d{2}-\d{2})'", sql).group(1))
            for r in kept:
                if parse_date(r[src["date_column"]]) <= cutoff:
                    acc = values[r["city_code"]]
                    acc[0] += weights.get(btrim(r[column]), Decimal(0))
                    acc[2] += 1
            measure = "sum"
        else:
            measure = ind["measure"]
            cutoff = ind.get("cutoff")
            window = ind.get("window_days")
            start = cutoff - dt.timedelta(days=window) if window else None
            for r in kept:
                ok = True
                for f in ind.get("filters", []):
                    v = btrim(r[f["column"]])
                    want = f["value"] if isinstance(f["value"], list) else [f["value"]]
                    ok = ok and v != "" and (v in want if f["op"] in ("in", "=") else v not in want)
                if not ok:
                    continue
                if cutoff:
                    d = parse_date(r[src["date_column"]])
                    if d > cutoff or (start and d <= start):
                        continue
                acc = values[r["city_code"]]
                acc[2] += 1
                if isinstance(measure, dict):
                    col = next(iter(measure.values()))
                    cell = btrim(r[col])
                    if cell:
                        acc[0] += Decimal(cell)
                        acc[1] += 1
        bad = []
        for unit in universe:
            cell = published[unit][ind_id]
            if unit not in covered:
                if cell != "":
                    bad.append(f"{unit}: not covered, published {cell}")
                continue
            s, n, used = values.get(unit, (Decimal(0), 0, 0))
            if measure == "count":
                got = Decimal(used)
            elif isinstance(measure, dict) and "mean" in measure:
                got = s / n if n else Decimal(0)
            else:
                got = s
            if cell == "" or Decimal(cell) != got:
                bad.append(f"{unit}: computed {got}, published {cell!r}")
        zeros = sum(1 for u in universe if u in covered and published[u][ind_id] != "" and Decimal(published[u][ind_id]) == 0)
        status = "ok" if not bad else f"{len(bad)} DIFFER"
        print(f"{ind_id:<15} {len(covered):>3} covered, {100 - len(covered):>3} missing, {zeros:>2} zero: {status}")
        for b in bad[:5]:
            print("   ", b)
        failures += len(bad)
    print()
    print("all 16 indicators equal data/indicators.csv" if failures == 0 else f"{failures} cells differ")
    return failures == 0


if __name__ == "__main__":
    example = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "examples/blockchain-2020")
    sys.exit(0 if check(example) else 1)
