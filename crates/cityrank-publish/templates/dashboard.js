// Dashboard: sliders for dimension weights re-rank the table through POST /api/whatif.
// Rows are built with textContent only, so no data text is ever parsed as HTML.
"use strict";
(function () {
  const edition = document.body.dataset.edition;
  const sliders = Array.from(document.querySelectorAll("input[type=range][data-dim]"));
  const aggregate = document.getElementById("aggregate");
  const status = document.getElementById("status");
  const tbody = document.querySelector("#ranking tbody");
  let timer = null;
  let seq = 0;

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

  function render(rows) {
    const frag = document.createDocumentFragment();
    for (const r of rows) {
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
      cell(tr, String(r.base_rank), true);
      change(cell(tr, "", true), r.rank_change);
      frag.appendChild(tr);
    }
    tbody.replaceChildren(frag);
  }

  async function recompute() {
    const weights = {};
    for (const s of sliders) {
      weights[s.dataset.dim] = Number(s.value);
      document.getElementById("out-" + s.dataset.dim).textContent = s.value;
    }
    const mine = ++seq;
    status.textContent = "Re-ranking… 计算中";
    try {
      const res = await fetch("/api/whatif?edition=" + encodeURIComponent(edition), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ weights: weights, aggregate: aggregate.value }),
      });
      const body = await res.json();
      if (mine !== seq) return;
      if (!res.ok) { status.textContent = "Refused: " + body.error; return; }
      render(body.rows);
      const moved = body.rows.filter((r) => r.rank_change !== 0).length;
      status.textContent = "Re-ranked in " + (body.elapsed_us / 1000).toFixed(2) + " ms on the server; " +
        moved + " cities moved. 已重新排名。";
      status.dataset.state = "done";
    } catch (e) {
      status.textContent = "Request failed: " + e;
    }
  }

  function schedule() {
    status.dataset.state = "pending";
    clearTimeout(timer);
    timer = setTimeout(recompute, 60);
  }

  for (const s of sliders) s.addEventListener("input", schedule);
  aggregate.addEventListener("change", schedule);
  document.getElementById("reset").addEventListener("click", function () {
    for (const s of sliders) s.value = s.dataset.nominal;
    aggregate.value = "arithmetic";
    schedule();
  });
  document.getElementById("edition").addEventListener("change", function (e) {
    window.location.href = "/?edition=" + encodeURIComponent(e.target.value);
  });
})();
