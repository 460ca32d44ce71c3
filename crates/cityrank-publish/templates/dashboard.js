// Dashboard: weight sliders (shown as shares) re-rank the table through POST /api/whatif;
// search, province and tier filters and column sorting work on the rows in the page; the
// weighting lives in the URL fragment (#weights=RD:0,IND:0,PUB:0,POL:1), so a link shares it.
// Rows are built with textContent only, so no data text is ever parsed as HTML.
"use strict";
(function () {
  const body = document.body;
  const edition = body.dataset.edition;
  const nominalAggregate = body.dataset.aggregate;
  const sliders = Array.from(document.querySelectorAll("input[type=range][data-dim]"));
  const dims = sliders.map((s) => s.dataset.dim);
  const $ = (id) => document.getElementById(id);
  const aggregate = $("aggregate");
  const status = $("status");
  const tbody = document.querySelector("#ranking tbody");
  const search = $("search");
  const province = $("province");
  const tier = $("tier");
  const tierOrder = tier ? Array.from(tier.options).map((o) => o.value).filter(Boolean) : [];
  const hasTier = Boolean(tier);
  let weights = null; // relative weights by dimension id; null: the nominal ones
  let rows = readRows();
  let sort = { key: "rank", desc: false };
  let timer = null;
  let seq = 0;

  function readRows() {
    return Array.from(tbody.rows).map((tr) => ({
      unit: tr.dataset.unit, slug: tr.dataset.slug, name: tr.dataset.name,
      name_zh: tr.dataset.nameZh, province: tr.dataset.province, tier: tr.dataset.tier,
      score: Number(tr.dataset.score), rank: Number(tr.dataset.rank),
      base_rank: Number(tr.dataset.rank), rank_change: 0,
    }));
  }

  // --- the URL fragment: weights=ID:w,ID:w[&aggregate=NAME] ---
  function parseFragment() {
    const params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    const out = { weights: null, aggregate: params.get("aggregate"), error: null };
    const spec = params.get("weights");
    if (spec === null) return out;
    const w = {};
    for (const part of spec.split(",")) {
      const [id, value] = part.split(":");
      const x = Number(value);
      if (!dims.includes(id)) { out.error = "unknown dimension `" + id + "` (expected " + dims.join(", ") + ")"; return out; }
      if (value === undefined || value.trim() === "" || !Number.isFinite(x) || x < 0) {
        out.error = "the weight of " + id + " must be a number of 0 or more, got `" + (value ?? "") + "`"; return out;
      }
      w[id] = x;
    }
    const missing = dims.filter((d) => !(d in w));
    if (missing.length) { out.error = "no weight for " + missing.join(", ") + " (give every one of " + dims.join(", ") + ")"; return out; }
    if (dims.every((d) => w[d] === 0)) { out.error = "every weight is 0"; return out; }
    out.weights = w;
    return out;
  }

  function fragment() {
    const w = current();
    let f = "weights=" + dims.map((d) => d + ":" + trim(w[d])).join(",");
    if (aggregate.value !== nominalAggregate) f += "&aggregate=" + encodeURIComponent(aggregate.value);
    return "#" + f;
  }

  function trim(x) { return String(Math.round(x * 1e6) / 1e6); }

  // --- weights and shares ---
  function current() {
    if (weights) return weights;
    const w = {};
    for (const s of sliders) w[s.dataset.dim] = Number(s.value);
    return w;
  }

  function showShares() {
    const w = current();
    const total = dims.reduce((a, d) => a + w[d], 0);
    for (const d of dims) {
      const share = total > 0 ? (100 * w[d]) / total : 0;
      $("out-" + d).textContent = share.toFixed(share < 10 && share % 1 ? 1 : 0) + "%";
    }
  }

  function setSliders(w) {
    const total = dims.reduce((a, d) => a + w[d], 0);
    for (const s of sliders) s.value = String(Math.round((100 * w[s.dataset.dim]) / total));
  }

  // --- the table ---
  function cell(tr, text, numeric) {
    const td = document.createElement("td");
    if (numeric) td.className = "n";
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function change(td, k) {
    const span = document.createElement("span");
    if (k > 0) { span.className = "up"; span.textContent = "▲" + k; }
    else if (k < 0) { span.className = "down"; span.textContent = "▼" + (-k); }
    else { span.className = "same"; span.textContent = "="; }
    td.textContent = "";
    td.appendChild(span);
  }

  function visible() {
    const q = search.value.trim().toLowerCase();
    const p = province.value;
    const t = tier ? tier.value : "";
    return rows.filter((r) =>
      (!q || r.name.toLowerCase().includes(q) || (r.name_zh || "").includes(q) || r.unit.startsWith(q)) &&
      (!p || r.province === p) && (!t || r.tier === t));
  }

  function compare(a, b) {
    const k = sort.key;
    let d;
    if (k === "name" || k === "province") d = a[k].localeCompare(b[k]);
    else if (k === "tier") d = tierOrder.indexOf(a.tier) - tierOrder.indexOf(b.tier);
    else if (k === "score") d = b.score - a.score;
    else if (k === "rank_change") d = b.rank_change - a.rank_change;
    else d = a[k] - b[k];
    if (d === 0) d = a.rank - b.rank || a.base_rank - b.base_rank;
    return sort.desc ? -d : d;
  }

  function render() {
    const list = visible().sort(compare);
    const frag = document.createDocumentFragment();
    for (const r of list) {
      const tr = document.createElement("tr");
      tr.dataset.unit = r.unit;
      cell(tr, String(r.rank), true);
      const td = cell(tr, "", false);
      const a = document.createElement("a");
      a.href = "/site/" + encodeURIComponent(edition) + "/city-" + encodeURIComponent(r.slug) + ".html";
      a.textContent = r.name;
      td.appendChild(a);
      if (r.name_zh) {
        const zh = document.createElement("span");
        zh.className = "zh";
        zh.textContent = " " + r.name_zh;
        td.appendChild(zh);
      }
      cell(tr, r.score.toFixed(2), true);
      cell(tr, r.province, false);
      if (hasTier) cell(tr, r.tier || "", false);
      cell(tr, String(r.base_rank), true);
      change(cell(tr, "", true), r.rank_change);
      frag.appendChild(tr);
    }
    tbody.replaceChildren(frag);
    $("count").textContent = list.length + " of " + rows.length + " cities";
    for (const b of document.querySelectorAll("#ranking th button")) {
      if (b.dataset.sort === sort.key) b.setAttribute("aria-sort", sort.desc ? "descending" : "ascending");
      else b.removeAttribute("aria-sort");
    }
  }

  // --- re-ranking on the server ---
  async function recompute(note) {
    const w = current();
    showShares();
    const mine = ++seq;
    status.textContent = "Re-ranking… 计算中";
    try {
      const res = await fetch("/api/whatif?edition=" + encodeURIComponent(edition), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ weights: w, aggregate: aggregate.value }),
      });
      const out = await res.json();
      if (mine !== seq) return;
      if (!res.ok) { status.textContent = "Refused: " + out.error; status.dataset.state = "refused"; return; }
      const byUnit = new Map(rows.map((r) => [r.unit, r]));
      rows = out.rows.map((r) => Object.assign({}, byUnit.get(r.unit), r));
      render();
      const moved = out.rows.filter((r) => r.rank_change !== 0).length;
      status.textContent = (note ? note + " " : "") + "Re-ranked in " + (out.elapsed_us / 1000).toFixed(2) +
        " ms on the server; " + moved + " cities moved. 已重新排名。";
      status.dataset.state = "done";
    } catch (e) {
      status.textContent = "Request failed: " + e;
      status.dataset.state = "failed";
    }
  }

  function updateUrl() {
    const f = fragment();
    $("share").href = f;
    if (window.location.hash !== f) history.replaceState(null, "", f);
  }

  function schedule() {
    status.dataset.state = "pending";
    updateUrl();
    clearTimeout(timer);
    timer = setTimeout(recompute, 60);
  }

  function applyFragment() {
    const f = parseFragment();
    if (f.error) {
      status.textContent = "The link's weighting was not applied: " + f.error + ". Nominal weights shown. 链接中的权重无效。";
      status.dataset.state = "refused";
      return;
    }
    if (f.aggregate && Array.from(aggregate.options).some((o) => o.value === f.aggregate)) aggregate.value = f.aggregate;
    if (!f.weights && !f.aggregate) return;
    if (f.weights) { weights = f.weights; setSliders(f.weights); }
    status.dataset.state = "pending";
    $("share").href = fragment();
    recompute("Weighting from the link applied. 已应用链接中的权重。");
  }

  for (const s of sliders) s.addEventListener("input", () => { weights = null; schedule(); });
  aggregate.addEventListener("change", schedule);
  $("reset").addEventListener("click", function () {
    weights = null;
    for (const s of sliders) s.value = s.dataset.nominal;
    aggregate.value = nominalAggregate;
    schedule();
  });
  $("share").addEventListener("click", (e) => { e.preventDefault(); updateUrl(); });
  $("edition").addEventListener("change", function (e) {
    window.location.href = "/?edition=" + encodeURIComponent(e.target.value) + window.location.hash;
  });
  for (const el of [search, province, tier]) if (el) el.addEventListener("input", render);
  $("filters").addEventListener("submit", (e) => e.preventDefault());
  for (const b of document.querySelectorAll("#ranking th button")) {
    b.addEventListener("click", function () {
      const k = b.dataset.sort;
      sort = { key: k, desc: sort.key === k ? !sort.desc : false };
      render();
    });
  }
  window.addEventListener("hashchange", applyFragment);
  $("share").href = fragment();
  showShares();
  applyFragment();
})();
