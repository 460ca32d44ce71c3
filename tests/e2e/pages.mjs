// End-to-end test of the published pages (`cityrank site`, `cityrank report`) from file:// in
// Debian's headless Chromium, driven by playwright-core: at 1400 and 390 px no page is wider than
// the window; the lede is there; index.html#weights=RD:0,IND:0,PUB:0,POL:1 puts Chongqing first;
// moving a weight control changes the URL and the order; a city page shows its rank interval; an
// excluded city's page shows its reason; no script error or CSP violation; printed, every page
// carries the notice. Then 1,000 random weightings: the in-browser (WebAssembly) scores and ranks
// equal those of the engine behind `cityrank serve`'s /api/whatif. Exits non-zero on a failure.
//
// Env: CITYRANK_BIN (default ../../target/debug/cityrank), CHROMIUM (default /usr/bin/chromium),
// E2E_PORT (default 18932). Screenshots go to tests/e2e/out/.
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import assert from "node:assert/strict";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const bin = process.env.CITYRANK_BIN || join(root, "target/debug/cityrank");
const port = Number(process.env.E2E_PORT || 18932);
const base = `http://127.0.0.1:${port}`;
const spec = join(root, "examples/blockchain-2020/spec.toml");
const shots = join(here, "out");
mkdirSync(shots, { recursive: true });
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

function step(msg) { console.log(`e2e pages: ${msg}`); }

async function poll(ms, check, what) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const firstCity = (page) => page.$eval("#whatif tbody tr:not([hidden]) td:nth-child(2) a", (a) => a.textContent);
const ready = (page) => poll(15000, async () => (await page.getAttribute("html", "data-whatif")) === "ready", "the what-if engine");

async function main() {
  const out = mkdtempSync(join(tmpdir(), "cityrank-pages-"));
  const run = (...args) => execFileSync(bin, [...args, "--spec", spec, "--out", out], { cwd: root, stdio: "pipe" });
  run("uncertainty", "-n", "200");
  run("site");
  run("report");
  const site = join(out, "site");
  const url = (f) => pathToFileURL(join(site, f)).href;
  const excluded = readFileSync(join(site, "methodology.html"), "utf8").match(/href="city-(\d+)\.html">[^<]+<\/a><\/td><td>/)[1];
  const pages = ["index.html", "city-500000.html", `city-${excluded}.html`, "methodology.html", "dimension-RD.html",
    "indicator-rd_5Fpatents.html", "downloads.html"].map(url).concat([pathToFileURL(join(out, "report.html")).href]);
  assert.equal(readdirSync(site).filter((f) => f.startsWith("city-")).length, 100, "a page for every assessed city");

  const server = spawn(bin, ["serve", "--spec", spec, "--port", String(port), "--out", out], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  const profile = mkdtempSync(join(tmpdir(), "cityrank-e2e-"));
  let ctx;
  try {
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, args: FLAGS,
    });
    const page = ctx.pages()[0] || await ctx.newPage();
    const problems = [];
    page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
    page.on("pageerror", (e) => problems.push(String(e)));

    for (const width of [1400, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const p of pages) {
        await page.goto(p);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= width, `${p} is ${wide}px wide in a ${width}px window`);
      }
      step(`${width}px: no page wider than the window`);

      await page.goto(url("index.html"));
      assert.match(await page.textContent(".lede"), /ranks first of \d+ cities/);
      assert.match(await page.textContent(".howto"), /How to read this ranking/);
      await page.screenshot({ path: join(shots, `index-${width}.png`) });

      for (const p of [url("index.html"), pages[pages.length - 1]]) {
        await page.goto("about:blank");
        await page.goto(`${p}#weights=RD:0,IND:0,PUB:0,POL:1`);
        await ready(page);
        assert.equal(await firstCity(page), "Chongqing", `${p}#weights=... puts Chongqing first`);
      }
      step(`${width}px: #weights=RD:0,IND:0,PUB:0,POL:1 shows Chongqing first (site and report)`);

      await page.goto("about:blank");
      await page.goto(url("index.html"));
      await ready(page);
      const before = await firstCity(page);
      assert.equal(before, "Beijing");
      for (const [d, v] of [["RD", "0"], ["IND", "0"], ["PUB", "0"]]) await page.fill(`#whatif-w-${d}`, v);
      await poll(5000, async () => (await firstCity(page)) !== before, "the order to change");
      assert.match(page.url(), /#weights=RD:0,IND:0,PUB:0,POL:\d+/);
      assert.equal(await firstCity(page), "Chongqing");
      assert.match(await page.textContent("#whatif-share-POL"), /^100%$/);
      await page.screenshot({ path: join(shots, `whatif-${width}.png`) });
      step(`${width}px: moving the controls changed the URL (${new URL(page.url()).hash}) and the order`);

      await page.goto(url("city-500000.html"));
      assert.match(await page.textContent(".interval"), /Rank interval 排名区间: \d+–\d+/);
      await page.screenshot({ path: join(shots, `city-${width}.png`) });
      await page.goto(url(`city-${excluded}.html`));
      assert.match(await page.textContent(".excluded-reason"), /Why not ranked.*\S/);
      await page.screenshot({ path: join(shots, `excluded-${width}.png`) });
      step(`${width}px: city page with its rank interval; excluded city ${excluded} with its reason`);
    }

    await page.emulateMedia({ media: "print" });
    for (const p of pages) {
      await page.goto(p);
      const notice = await page.$eval(".notice", (n) => ({ pos: getComputedStyle(n).position, shown: n.offsetParent !== null || getComputedStyle(n).position === "fixed", text: n.textContent }));
      assert.equal(notice.pos, "fixed", `${p}: the notice repeats on every printed page`);
      assert.ok(notice.shown && /ILLUSTRATIVE/.test(notice.text), `${p}: notice printed`);
    }
    const pdf = await page.pdf({ format: "A4" });
    assert.ok(pdf.length > 1000);
    await page.emulateMedia({ media: "screen" });
    step("printed: every page carries the notice");

    step("1,000 random weightings: in the browser (WebAssembly) against the engine (/api/whatif)");
    await poll(60000, async () => { try { return (await fetch(`${base}/health`)).ok; } catch { return false; } }, "the server");
    await page.goto(url("index.html"));
    await ready(page);
    const dims = ["RD", "IND", "PUB", "POL"];
    let seed = 13;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let compared = 0;
    for (let k = 0; k < 1000; k++) {
      const weights = Object.fromEntries(dims.map((d) => [d, rnd() < 0.15 ? 0 : Math.round(rnd() * 10000) / 100]));
      if (dims.every((d) => weights[d] === 0)) weights.POL = 1;
      const mine = await page.evaluate((w) => window.cityrankWhatIf.run(w), weights);
      const res = await fetch(`${base}/api/whatif`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ weights }) });
      const theirs = await res.json();
      assert.ok(res.ok, JSON.stringify(theirs));
      assert.equal(mine.rows.length, theirs.rows.length);
      mine.rows.forEach((r, i) => {
        const t = theirs.rows[i];
        assert.equal(r.unit, t.unit, `weighting ${JSON.stringify(weights)}, row ${i}`);
        assert.equal(r.rank, t.rank);
        assert.ok(Math.abs(r.score_rounded - t.score) < 1e-9, `${r.unit}: ${r.score_rounded} vs ${t.score}`);
      });
      compared += 1;
    }
    step(`${compared} weightings: every rank and score equal`);

    assert.deepEqual(problems, [], "no script errors or CSP violations");
    step("all passed");
  } finally {
    if (ctx) await ctx.close();
    server.kill("SIGTERM");
    rmSync(profile, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
