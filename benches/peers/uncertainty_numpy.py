"""Peer for the uncertainty benchmark: the Monte Carlo analysis of `cityrank uncertainty`
(weight noise and a choice of aggregation), written as a vectorised numpy program.

Input: the output folder of `cityrank run` (indicator scores from `scores.csv`, the tree and the
nominal weights from `weights.csv`); indicator scores are taken as given, as the Rust analysis
caches them. Per replication: every weight whose parent has more than one child times
U[1 - noise, 1 + noise], renormalised over the children present for each unit; at each
aggregate node the arithmetic or (where drawn) the geometric mean; optional leader rescaling
(x 100 / max) at one level; ranks of the root, optionally on scores rounded to `decimals`,
descending, ties at the minimum; rank histograms and absolute rank shifts accumulated per unit.

Vectorised over replications: a batch of B replications is a handful of numpy calls per node
(a matrix product over the indicator block, einsum over aggregate children), one batched sort
for the ranks and one bincount for the histograms. No Python loop runs per replication or per
unit.

usage: python3 uncertainty_numpy.py RUN_OUT_DIR N [--batch 2000] [--noise 0.25]
          [--aggs arithmetic,geometric] [--agg-levels 4] [--leader-level 2] [--decimals 2]
prints: seconds per replication
"""
import argparse
import csv
import time

import numpy as np


def load(out_dir):
    w_rows = list(csv.DictReader(open(f"{out_dir}/weights.csv", encoding="utf-8")))
    nodes = [r["node"] for r in w_rows]
    parent = {r["node"]: r["parent"] for r in w_rows}
    level = {r["node"]: int(r["level"]) for r in w_rows}
    weight = {r["node"]: float(r["weight"]) for r in w_rows}
    children = {n: [m for m in nodes if parent[m] == n] for n in nodes}
    root = [n for n in nodes if parent[n] == ""][0]
    inds = [n for n in nodes if level[n] == 1]
    s_rows = list(csv.DictReader(open(f"{out_dir}/scores.csv", encoding="utf-8")))
    ranked = sorted({r["unit"] for r in s_rows if r["node"] == root and r["rank"] != ""})
    ui = {u: i for i, u in enumerate(ranked)}
    ii = {k: j for j, k in enumerate(inds)}
    x = np.full((len(ranked), len(inds)), np.nan)
    for r in s_rows:
        if r["node"] in ii and r["unit"] in ui and r["score"] != "":
            x[ui[r["unit"]], ii[r["node"]]] = float(r["score"])
    aggs = sorted((n for n in nodes if level[n] > 1), key=lambda n: level[n])
    return dict(x=x, inds=inds, ii=ii, aggs=aggs, children=children, level=level,
                weight=weight, parent=parent, root=root)


class Peer:
    def __init__(self, m, noise, aggs, agg_levels, leader_level, decimals):
        self.m, self.noise, self.decimals = m, noise, decimals
        self.leader_level = leader_level
        self.geo_allowed = "geometric" in aggs
        self.agg_levels = set(agg_levels)
        x = m["x"]
        self.u = x.shape[0]
        self.present = ~np.isnan(x)
        self.x0 = np.where(self.present, x, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.logx0 = np.where(self.present & (x > 0), np.log(np.where(self.present, x, 1.0)), 0.0)
        self.presf = self.present.astype(float)
        # Noisy weights: nodes whose parent has more than one child, in a fixed order.
        names = m["inds"] + m["aggs"]
        self.noisy = [n for n in names if m["parent"].get(n) and len(m["children"][m["parent"][n]]) > 1]
        self.col = {n: j for j, n in enumerate(self.noisy)}

    def batch(self, rng, b, nominal=False):
        m = self.m
        if nominal:
            f = np.ones((b, len(self.noisy)))
            geo = np.zeros(b, dtype=bool)
        else:
            f = rng.uniform(1 - self.noise, 1 + self.noise, size=(b, len(self.noisy)))
            geo = rng.random(b) < 0.5 if self.geo_allowed else np.zeros(b, dtype=bool)
        w_nom = np.array([m["weight"][n] for n in self.noisy])
        w = f * w_nom  # b x k: raw perturbed weights (renormalised below over present children)
        val = {}
        for node in m["aggs"]:
            kids = m["children"][node]
            wk = w[:, [self.col[c] for c in kids]] if len(kids) > 1 else np.ones((b, 1))
            use_geo = node_geo = geo if m["level"][node] in self.agg_levels else np.zeros(b, dtype=bool)
            if all(c in m["ii"] for c in kids):
                cols = [m["ii"][c] for c in kids]
                den = wk @ self.presf[:, cols].T  # b x u
                ari = (wk @ self.x0[:, cols].T) / den
                if use_geo.any():
                    g = np.exp((wk @ self.logx0[:, cols].T) / den)
                    s = np.where(node_geo[:, None], g, ari)
                else:
                    s = ari
            else:
                c = np.stack([val[k] for k in kids], axis=2)  # b x u x k (no missing above level 1)
                den = wk.sum(axis=1)[:, None]
                ari = np.einsum("buk,bk->bu", c, wk) / den
                if use_geo.any():
                    g = np.exp(np.einsum("buk,bk->bu", np.log(c), wk) / den)
                    s = np.where(node_geo[:, None], g, ari)
                else:
                    s = ari
            if m["level"][node] == self.leader_level:
                s = s * (100.0 / np.nanmax(s, axis=1, keepdims=True))
            val[node] = s
        return self.ranks(val[m["root"]])

    def ranks(self, idx):
        # half away from zero, as cityrank rounds (scores are non-negative)
        p = 10.0 ** self.decimals if self.decimals is not None else None
        key = np.floor(idx * p + 0.5) / p if p is not None else idx
        order = np.argsort(-key, axis=1, kind="stable")
        s = np.take_along_axis(key, order, axis=1)
        pos = np.broadcast_to(np.arange(self.u), s.shape)
        new = np.ones(s.shape, dtype=bool)
        new[:, 1:] = s[:, 1:] != s[:, :-1]
        first = np.maximum.accumulate(np.where(new, pos, 0), axis=1)
        r = np.empty_like(order)
        np.put_along_axis(r, order, first + 1, axis=1)
        return r


def run(peer, n, batch, seed=2020):
    rng = np.random.default_rng(seed)
    u = peer.u
    nominal = peer.batch(rng, 1, nominal=True)[0]
    hist = np.zeros(u * (u + 2), dtype=np.int64)
    shift = np.zeros(u, dtype=np.int64)
    base = np.arange(u) * (u + 2)
    done = 0
    while done < n:
        b = min(batch, n - done)
        r = peer.batch(rng, b)
        hist += np.bincount((r + base).ravel(), minlength=hist.size)
        shift += np.abs(r - nominal).sum(axis=0)
        done += b
    return nominal, hist.reshape(u, u + 2), shift


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("n", type=int)
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--noise", type=float, default=0.25)
    ap.add_argument("--aggs", default="arithmetic")
    ap.add_argument("--agg-levels", default="")
    ap.add_argument("--leader-level", type=int, default=0)
    ap.add_argument("--decimals", type=int, default=None)
    ap.add_argument("--print-ranks", action="store_true")
    a = ap.parse_args()
    m = load(a.out_dir)
    levels = [int(v) for v in a.agg_levels.split(",") if v]
    peer = Peer(m, a.noise, a.aggs.split(","), levels, a.leader_level, a.decimals)
    peer.batch(np.random.default_rng(0), 64)  # warm-up
    t = time.perf_counter()
    nominal, hist, shift = run(peer, a.n, a.batch)
    dt = time.perf_counter() - t
    if a.print_ranks:
        print("nominal", " ".join(map(str, nominal)))
        print("mean_abs_shift", " ".join(f"{v / a.n:.3f}" for v in shift))
    print(f"numpy: {a.n} replications in {dt:.3f} s, {dt / a.n * 1e6:.2f} us per replication")
