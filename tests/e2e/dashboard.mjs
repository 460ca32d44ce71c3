// End-to-end test of `cityrank serve` in a real headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core): at 1,400 and 390 px the page never scrolls sideways; the Top 5;
// a weighting in the URL fragment is applied and moving a slider changes the fragment and the
// order; search, sort and the province and tier filters; every offered aggregation on every
// edition; a city page and the CSV download; no script error or CSP violation throughout.
// Exits non-zero on the first failure.
//
// Env: CITYRANK_BIN (default ../../target/debug/cityrank), CHROMIUM (default /usr/bin/chromium),
// E2E_PORT (default 18931). Screenshots go to tests/e2e/out/.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const bin = process.env.CITYRANK_BIN || join(root, "target/debug/cityrank");
const port = Number(process.env.E2E_PORT || 18931);
const base = `http://127.0.0.1:${port}`;
const out = join(here, "out");
mkdirSync(out, { recursive: true });

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

function step(msg) { console.log(`e2e: ${msg}`); }

async function waitHealthy(deadlineMs) {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    try { if ((await fetch(`${base}/health`)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("server did not become healthy");
}

async function topNames(page, n) {
  return page.$$eval("#ranking tbody tr", (rows, n) => rows.slice(0, n).map((r) => r.cells[1].querySelector("a").textContent), n);
}

// Column `k` of every visible row.
async function column(page, k) {
  return page.$$eval("#ranking tbody tr", (rows, k) => rows.map((r) => r.cells[k].textContent.trim()), k);
}

async function noSidewaysScroll(page, what) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `${what}: the page is ${scroll} px wide in a ${client} px window`);
}

async function settled(page) {
  await poll(10000, async () => ["done", "refused"].includes(await page.getAttribute("#status", "data-state")));
  assert.equal(await page.getAttribute("#status", "data-state"), "done", await page.textContent("#status"));
}

// Polls from the test side: waitForFunction would evaluate a string, which the page's CSP forbids.
async function poll(ms, check) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out waiting for the table to re-rank");
}

async function main() {
  const server = spawn(bin, ["serve", "--port", String(port)], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  const profile = mkdtempSync(join(tmpdir(), "cityrank-e2e-"));
  let ctx;
  try {
    await waitHealthy(60000);
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      headless: true, args: FLAGS, acceptDownloads: true, viewport: { width: 1400, height: 900 },
    });
    const page = ctx.pages()[0] || await ctx.newPage();
    const problems = [];
    page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
    page.on("pageerror", (e) => problems.push(String(e)));

    step("open the dashboard: the bundled 2020 edition, both being illustrative");
    await page.goto(`${base}/`);
    assert.equal(await page.getAttribute("body", "data-edition"), "blockchain-2020");
    const top5 = await topNames(page, 5);
    step(`Top 5: ${top5.join(", ")}`);
    assert.deepEqual(top5, ["Beijing", "Shenzhen", "Shanghai", "Hangzhou", "Guangzhou"], "the 2020 top 5 as published");
    assert.match(await page.textContent(".notice"), /ILLUSTRATIVE/);
    const shares = await page.$$eval("#weights output", (o) => o.map((x) => x.textContent));
    assert.deepEqual(shares, ["25%", "25%", "25%", "25%"], "sliders show shares");

    for (const width of [1400, 390]) {
      await page.setViewportSize({ width, height: 900 });
      step(`${width} px: no sideways scroll; rank, city and score visible`);
      await page.goto(`${base}/`);
      await noSidewaysScroll(page, `dashboard at ${width} px`);
      const box = await page.$eval("#ranking tbody tr:first-child td:nth-child(3)", (td) => td.getBoundingClientRect().right);
      assert.ok(box <= width, `the score column ends at ${box} px, beyond ${width} px`);
      await page.screenshot({ path: join(out, `dashboard-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1400, height: 900 });

    step("a weighting in the URL fragment is applied");
    await page.goto(`${base}/#weights=RD:0,IND:0,PUB:0,POL:1`);
    await settled(page);
    assert.equal((await topNames(page, 1))[0], "Chongqing");
    assert.equal(await page.inputValue("#w-POL"), "100");
    assert.equal(await page.textContent("#out-POL"), "100%");
    assert.match(await page.textContent("#ranking tbody tr:first-child td:last-child"), /▲/);
    await page.screenshot({ path: join(out, "dashboard-reweighted.png"), fullPage: false });

    step("moving a slider changes the order and the fragment");
    const before = await topNames(page, 10);
    await page.fill("#w-RD", "100");
    await poll(10000, async () => (await page.getAttribute("#status", "data-state")) === "done" &&
      page.url().includes("#weights=RD:100,IND:0,PUB:0,POL:100"));
    assert.equal(await page.textContent("#out-RD"), "50%");
    assert.notDeepEqual(await topNames(page, 10), before);
    step("the fragment reopens the same ranking");
    const order = await topNames(page, 20);
    const link = page.url();
    await page.goto("about:blank");
    await page.goto(link);
    await settled(page);
    assert.deepEqual(await topNames(page, 20), order);

    step("a bad fragment is refused with a reason, not ignored");
    await page.goto("about:blank");
    await page.goto(`${base}/#weights=RD:1,XX:2`);
    assert.match(await page.textContent("#status"), /unknown dimension `XX`/);
    assert.deepEqual(await topNames(page, 5), top5);

    step("search, province and tier filters, sorting");
    await page.goto(`${base}/`);
    await page.fill("#search", "zhou");
    let names = await column(page, 1);
    assert.ok(names.length > 3 && names.every((n) => /zhou/i.test(n)), names.join(", "));
    assert.match(await page.textContent("#count"), new RegExp(`^${names.length} of 83 `));
    await page.fill("#search", "");
    await page.selectOption("#province", "Guangdong");
    const provinces = await column(page, 3);
    assert.ok(provinces.length > 1 && provinces.every((p) => p === "Guangdong"), provinces.join(", "));
    await page.selectOption("#province", "");
    await page.selectOption("#tier", "Leading");
    const scores = (await column(page, 2)).map(Number);
    assert.ok(scores.length > 0 && scores.every((s) => s >= 75), scores.join(", "));
    await page.selectOption("#tier", "");
    await page.click("#ranking th button[data-sort=name]");
    names = (await column(page, 1)).map((n) => n.split(" ")[0]);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)), "sorted by name");
    await page.click("#ranking th button[data-sort=name]");
    assert.deepEqual((await column(page, 1)).map((n) => n.split(" ")[0]), [...names].reverse(), "name, descending");
    await page.click("#ranking th button[data-sort=rank]");
    assert.deepEqual(await topNames(page, 5), top5);

    for (const edition of ["blockchain-2020", "blockchain-2021"]) {
      await page.goto(`${base}/?edition=${edition}`);
      const offered = await page.$$eval("#aggregate option", (o) => o.map((x) => x.value));
      const notOffered = await page.$$eval(".not-offered", (p) => p.map((x) => x.textContent));
      step(`${edition}: offered ${offered.join(", ")}; ${notOffered.join(" ")}`);
      assert.ok(offered.includes("arithmetic"));
      for (const n of notOffered) assert.match(n, /scores 0\.00 on .* \([A-Z]+\)/, "names the city and dimension");
      assert.equal(offered.length + (notOffered.join(" ").match(/geometric|harmonic/g) || []).length, 3);
      for (const m of offered) {
        await page.selectOption("#aggregate", m);
        await settled(page);
        assert.equal((await column(page, 0))[0], "1");
      }
    }

    step("open a city page");
    await page.goto(`${base}/#weights=RD:0,IND:0,PUB:0,POL:1`);
    await settled(page);
    await page.click("#ranking tbody tr:first-child a");
    await page.waitForURL(/city-500000\.html$/);
    assert.match(await page.textContent("h3"), /Chongqing/);
    assert.ok(await page.$("section.city svg"), "the profile chart is drawn");
    await page.screenshot({ path: join(out, "city.png"), fullPage: false });

    step("download the CSV");
    await page.click("text=Downloads 下载");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("a[href='data/scores_wide.csv']")]);
    const file = join(out, "scores_wide.csv");
    await download.saveAs(file);
    const csv = readFileSync(file, "utf8");
    assert.match(csv.split("\n")[0], /^unit,name,/);
    assert.ok(csv.includes("500000,Chongqing"), "the CSV lists the cities");

    assert.deepEqual(problems, [], "no script errors or CSP violations");
    step("all passed");
  } finally {
    if (ctx) await ctx.close();
    server.kill("SIGTERM");
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
