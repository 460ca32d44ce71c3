"""Peer for the uncertainty benchmark: the same Monte Carlo analysis as `cityrank uncertainty`
with the default assumptions (every weight times U[0.75, 1.25] at the indicator and dimension
levels), vectorised over replications with numpy.

Input: the `scores.csv` that `cityrank run` writes (indicator scores are taken as given, as the
Rust analysis caches them). Dimensions: arithmetic mean over present children with weights
renormalised, rescaled so the leader is 100; index: arithmetic mean of dimensions; ranks on
scores rounded to 2 decimals, ties at the minimum. Prints seconds per replication.

usage: python3 uncertainty_numpy.py SCORES_CSV N [BATCH]
"""
import csv
import sys
import time

import numpy as np


def load(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    units = sorted({r["unit"] for r in rows if r["rank"] != "" or r["level"] == "1"})
    parent = {}
    for r in rows:
        pass
    ind = sorted({r["node"] for r in rows if r["level"] == "1"})
    dims = sorted({r["node"] for r in rows if r["level"] == "2"})
    ranked = sorted({r["unit"] for r in rows if r["level"] == "3" and r["rank"] != ""})
    ui = {u: i for i, u in enumerate(ranked)}
    ii = {k: j for j, k in enumerate(ind)}
    x = np.full((len(ranked), len(ind)), np.nan)
    for r in rows:
        if r["level"] == "1" and r["unit"] in ui and r["score"] != "":
            x[ui[r["unit"]], ii[r["node"]]] = float(r["score"])
    # Indicator ids start with the dimension's prefix (rd_, ind_, pub_, pol_).
    groups = [[ii[k] for k in ind if k.split("_")[0].upper() == d] for d in dims]
    return x, groups


def run(x, groups, n, batch, seed=2020):
    rng = np.random.default_rng(seed)
    u_count, k = x.shape
    present = ~np.isnan(x)
    x0 = np.where(present, x, 0.0)
    hist = np.zeros((u_count, u_count + 2), dtype=np.int64)
    nominal = None
    done = 0
    while done < n:
        b = min(batch, n - done)
        wi = rng.uniform(0.75, 1.25, size=(b, k))
        wd = rng.uniform(0.75, 1.25, size=(b, len(groups)))
        dim_scores = np.empty((b, u_count, len(groups)))
        for d, cols in enumerate(groups):
            w = wi[:, cols]  # b x c
            num = np.einsum("uc,bc->bu", x0[:, cols], w)
            den = np.einsum("uc,bc->bu", present[:, cols].astype(float), w)
            s = num / den
            s = s * 100.0 / np.nanmax(s, axis=1, keepdims=True)
            dim_scores[:, :, d] = s
        wd = wd / wd.sum(axis=1, keepdims=True)
        idx = np.einsum("bud,bd->bu", dim_scores, wd)
        key = np.round(idx, 2)
        # competition ranks: 1 + number of units with a strictly higher key
        ranks = 1 + (key[:, None, :] > key[:, :, None]).sum(axis=2)
        if nominal is None:
            nominal = ranks[0]
        for i in range(u_count):
            hist[i] += np.bincount(ranks[:, i], minlength=u_count + 2)
        done += b
    return hist


if __name__ == "__main__":
    path, n = sys.argv[1], int(sys.argv[2])
    batch = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    x, groups = load(path)
    t = time.perf_counter()
    run(x, groups, n, batch)
    dt = time.perf_counter() - t
    print(f"numpy: {n} replications in {dt:.3f} s, {dt / n * 1e6:.2f} us per replication")
