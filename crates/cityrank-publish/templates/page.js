// On every page: an SVG and a PNG download under each chart, and folded sections opened for print.
// Each chart's SVG carries its own title, axes, source and notice, so a downloaded chart stands alone.
"use strict";
(function () {
  function save(href, name) {
    const a = document.createElement("a");
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function svgText(svg) {
    const copy = svg.cloneNode(true);
    copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy);
  }

  function png(svg, name) {
    const box = svg.viewBox.baseVal;
    const w = box && box.width ? box.width : svg.clientWidth;
    const h = box && box.height ? box.height : svg.clientHeight;
    const img = new Image();
    img.onload = function () {
      const scale = 2;
      const c = document.createElement("canvas");
      c.width = w * scale;
      c.height = h * scale;
      const g = c.getContext("2d");
      g.fillStyle = "#fff";
      g.fillRect(0, 0, c.width, c.height);
      g.drawImage(img, 0, 0, c.width, c.height);
      save(c.toDataURL("image/png"), name + ".png");
    };
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText(svg));
  }

  document.querySelectorAll(".chart").forEach(function (box, k) {
    const svg = box.querySelector("svg");
    if (!svg) return;
    const name = box.dataset.name || "chart-" + (k + 1);
    const bar = document.createElement("p");
    bar.className = "chart-downloads";
    const mk = function (label, fn) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.addEventListener("click", fn);
      bar.appendChild(b);
    };
    mk("SVG", function () {
      const url = URL.createObjectURL(new Blob([svgText(svg)], { type: "image/svg+xml" }));
      save(url, name + ".svg");
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    });
    mk("PNG", function () { png(svg, name); });
    box.appendChild(bar);
  });

  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("open", "");
      d.dataset.printOpened = "1";
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
      d.removeAttribute("open");
      delete d.dataset.printOpened;
    });
  });
})();
