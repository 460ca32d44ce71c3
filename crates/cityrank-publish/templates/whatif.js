// "Create your own ranking": weight controls that re-rank a table in the browser, with no server.
// The scores come from the engine itself, compiled to WebAssembly (crates/cityrank-whatif) and
// embedded as base64 (window.CITYRANK_WASM), so they are the numbers `cityrank` computes.
// The weighting lives in the URL fragment, so a link shares it: #weights=RD:0,IND:0,PUB:0,POL:1
// (dimension ids as in the spec; weights relative, shown as shares).
// Expects: <script type="application/json" id="whatif-state"> (the engine's state),
// a form#whatif-weights with input[type=range][data-dim], and table#whatif rows tr[data-unit].
// Rows are re-ordered and edited with textContent only, so no data text is parsed as HTML.
"use strict";
(function () {
  const form = document.getElementById("whatif-weights");
  const table = document.getElementById("whatif");
  const stateEl = document.getElementById("whatif-state");
  if (!form || !table || !stateEl || !window.CITYRANK_WASM) return;
  const status = document.getElementById("whatif-status");
  const sliders = Array.from(form.querySelectorAll("input[type=range][data-dim]"));
  const dims = sliders.map((s) => s.dataset.dim);
  const decimals = Number(table.dataset.decimals || 2);
  const tbody = table.tBodies[0];
  const rows = new Map(Array.from(tbody.rows).map((tr) => [tr.dataset.unit, tr]));
  const nominal = {};
  for (const s of sliders) nominal[s.dataset.dim] = Number(s.dataset.nominal);
  let engine = null;

  function say(text, state) {
    if (!status) return;
    status.textContent = text;
    status.dataset.state = state;
  }

  // The module's five exports: cr_alloc, cr_load, cr_run, cr_out_ptr, cr_out_len (JSON in and out).
  async function instantiate() {
    const bin = Uint8Array.from(atob(window.CITYRANK_WASM), (c) => c.charCodeAt(0));
    const { instance } = await WebAssembly.instantiate(bin, {});
    const x = instance.exports;
    const enc = new TextEncoder(), dec = new TextDecoder();
    function call(fn, text) {
      const bytes = enc.encode(text);
      const ptr = x.cr_alloc(bytes.length);
      new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes);
      const code = fn(ptr, bytes.length);
      const out = JSON.parse(dec.decode(new Uint8Array(x.memory.buffer, x.cr_out_ptr(), x.cr_out_len())));
      if (code !== 0) throw new Error(out);
      return out;
    }
    call(x.cr_load, stateEl.textContent);
    return { run: (weights, aggregate) => call(x.cr_run, JSON.stringify({ weights: weights, aggregate: aggregate || null })) };
  }

  // "#weights=RD:0,IND:0,PUB:0,POL:1" -> {RD:0,...}; null when the fragment has no weighting.
  function parseHash() {
    const m = /(?:^#|&)weights=([^&]*)/.exec(location.hash);
    if (!m) return null;
    const w = {};
    for (const part of decodeURIComponent(m[1]).split(",")) {
      const [id, value] = part.split(":");
      if (!dims.includes(id)) throw new Error("unknown dimension `" + id + "` in the link; expected " + dims.join(", "));
      const x = Number(value);
      if (value === undefined || value.trim() === "" || !Number.isFinite(x) || x < 0) {
        throw new Error("weight of `" + id + "` in the link must be a number >= 0, got `" + value + "`");
      }
      w[id] = x;
    }
    const absent = dims.filter((d) => !(d in w));
    if (absent.length) throw new Error("the link gives no weight for " + absent.join(", ") + "; give all of " + dims.join(", "));
    return w;
  }

  function fmt(x) { return String(Math.round(x * 1000) / 1000); }

  function showShares(w) {
    const total = dims.reduce((s, d) => s + w[d], 0);
    for (const s of sliders) {
      const share = total > 0 ? (100 * w[s.dataset.dim]) / total : 0;
      const out = document.getElementById("whatif-share-" + s.dataset.dim);
      if (out) out.textContent = share.toFixed(0) + "%";
    }
  }

  function render(outcome) {
    const seen = new Set();
    const frag = document.createDocumentFragment();
    let moved = 0;
    for (const r of outcome.rows) {
      const tr = rows.get(r.unit);
      if (!tr) continue;
      seen.add(r.unit);
      tr.hidden = false;
      tr.querySelector(".rank").textContent = String(r.rank);
      tr.querySelector(".score").textContent = r.score_rounded.toFixed(decimals);
      const k = r.base_rank - r.rank;
      if (k !== 0) moved += 1;
      const span = document.createElement("span");
      span.className = k > 0 ? "up" : k < 0 ? "down" : "same";
      span.textContent = k > 0 ? "▲" + k : k < 0 ? "▼" + -k : "=";
      tr.querySelector(".change").replaceChildren(span);
      frag.appendChild(tr);
    }
    for (const [unit, tr] of rows) if (!seen.has(unit)) { tr.hidden = true; frag.appendChild(tr); }
    tbody.replaceChildren(frag);
    return moved;
  }

  function apply(w, fromLink) {
    showShares(w);
    let outcome;
    try { outcome = engine.run(w); } catch (e) { say("Not re-ranked: " + e.message + " 未能重新排名", "refused"); return; }
    const moved = render(outcome);
    const same = dims.every((d) => Math.abs(outcome.weights[d] - nominal[d] / dims.reduce((s, k) => s + nominal[k], 0)) < 1e-12);
    const shares = dims.map((d) => d + " " + (100 * outcome.weights[d]).toFixed(0) + "%").join(", ");
    say((same ? "Published weights" : (fromLink ? "Weighting from the link" : "Your weighting")) + ": " + shares +
      "; " + moved + " cities moved. 已按" + (same ? "默认" : "自定义") + "权重排名。", "done");
  }

  function fromSliders() {
    const w = {};
    for (const s of sliders) w[s.dataset.dim] = Number(s.value);
    return w;
  }

  function setSliders(w) {
    const total = dims.reduce((s, d) => s + w[d], 0);
    for (const s of sliders) s.value = String(total > 0 ? (100 * w[s.dataset.dim]) / total : 0);
  }

  function fromLink() {
    let w;
    try { w = parseHash(); } catch (e) { say(e.message + " 链接中的权重无效", "refused"); return false; }
    if (!w) return false;
    setSliders(w);
    apply(w, true);
    return true;
  }

  instantiate().then((e) => {
    engine = e;
    window.cityrankWhatIf = e;
    form.addEventListener("input", () => {
      const w = fromSliders();
      history.replaceState(null, "", "#weights=" + dims.map((d) => d + ":" + fmt(w[d])).join(","));
      apply(w, false);
    });
    const reset = document.getElementById("whatif-reset");
    if (reset) reset.addEventListener("click", () => {
      setSliders(nominal);
      history.replaceState(null, "", location.pathname + location.search);
      apply(nominal, false);
    });
    window.addEventListener("hashchange", fromLink);
    if (fromLink()) {
      const sec = document.getElementById("create-your-own");
      if (sec) sec.scrollIntoView();
    } else if (!status || status.dataset.state !== "refused") {
      showShares(nominal);
      say("Published weights. Move a control to re-rank; the link keeps your weighting. 拖动滑块即可重新排名。", "ready");
    }
    document.documentElement.dataset.whatif = "ready";
  }).catch((e) => say("The what-if engine could not start: " + e.message, "failed"));
})();
