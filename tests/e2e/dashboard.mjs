// End-to-end test of `cityrank serve` in a real headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core): open the dashboard, read the Top 5, move a weight slider and see
// the table re-rank, open a city page, download the CSV. Exits non-zero on the first failure.
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
      headless: true, args: FLAGS, acceptDownloads: true, viewport: { width: 1280, height: 900 },
    });
    const page = ctx.pages()[0] || await ctx.newPage();
    const problems = [];
    page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
    page.on("pageerror", (e) => problems.push(String(e)));

    step("open the dashboard");
    await page.goto(`${base}/`);
    const top5 = await topNames(page, 5);
    step(`Top 5: ${top5.join(", ")}`);
    assert.deepEqual(top5, ["Beijing", "Shenzhen", "Hangzhou", "Shanghai", "Guangzhou"]);
    assert.match(await page.textContent(".notice"), /ILLUSTRATIVE/);

    step("put all the weight on Policy");
    for (const d of ["RD", "IND", "PUB"]) await page.fill(`#w-${d}`, "0");
    await page.fill("#w-POL", "100");
    await poll(10000, async () => (await page.getAttribute("#status", "data-state")) === "done" &&
      (await topNames(page, 1))[0] === "Chongqing");
    const after = await topNames(page, 5);
    step(`re-ranked Top 5: ${after.join(", ")}`);
    assert.equal(after[0], "Chongqing");
    assert.notDeepEqual(after, top5);
    assert.match(await page.textContent("#ranking tbody tr:first-child td:last-child"), /▲/);
    await page.screenshot({ path: join(out, "dashboard-reweighted.png"), fullPage: false });

    step("open a city page");
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
