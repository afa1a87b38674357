// Drives `gazette serve` in the system's headless Chromium (no browser download):
//   node serve.test.js BASE_URL SCREENSHOT_DIR
// Types a query, checks results and marked snippets, pages forward, brushes across two
// timeline bars (with the mouse and with the keyboard), clicks a section facet and a timeline
// bar (results and URL narrow), opens an article, and checks that a hostile
// headline shows as text. Prints one JSON line of measurements; exits 1 on any failure.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const puppeteer = require("puppeteer-core");

// BASE2 (optional): a server over the same pages split into two indexes.
const [base, shots, base2] = process.argv.slice(2);
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
const HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> Lighthouse keeper retires';

function check(cond, what) {
  if (!cond) throw new Error("check failed: " + what);
}

async function statusTotal(page) {
  const text = await page.$eval("#status", (e) => e.textContent);
  const m = text.match(/of ([\d,]+) stories/) || text.match(/^()No stories/);
  check(m, "status line shows a total: " + text);
  return m[1] ? parseInt(m[1].replace(/,/g, ""), 10) : 0;
}

// Waits until the URL satisfies `test` and the results for it are drawn.
async function settled(page, test, what) {
  await page.waitForFunction(test, { timeout: 10000 }).catch(() => {
    throw new Error("URL never changed: " + what);
  });
  await page.waitForFunction(() => !/Searching/.test(document.getElementById("status").textContent), { timeout: 10000 });
}

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "gazette-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    userDataDir: profile,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--window-size=1280,1000",
    ],
  });
  const report = {};
  const errors = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 1000 });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("dialog", (d) => { errors.push("dialog opened: " + d.message()); d.dismiss(); });
    // Time to first results: from navigation start until the first hit is in the DOM.
    await page.evaluateOnNewDocument(() => {
      new MutationObserver((_, obs) => {
        if (document.querySelector(".hit")) { window.__firstHit = performance.now(); obs.disconnect(); }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(base + "/?q=" + encodeURIComponent("interest rate"), { waitUntil: "load" });
    await page.waitForSelector(".hit");
    report.first_results_ms = await page.evaluate(() => window.__firstHit);
    report.first_results_after_dom_ms = await page.evaluate(() =>
      window.__firstHit - performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd);

    // Type a query like a person would.
    await page.goto(base + "/", { waitUntil: "load" });
    await page.click("#q");
    await page.keyboard.type("said");
    await page.keyboard.press("Enter");
    await settled(page, () => location.search.includes("q=said"), "query typed");
    await page.waitForSelector(".hit");
    const all = await statusTotal(page);
    check(all > 10, "a broad query has more than a page of results: " + all);
    const hits = await page.$$eval(".hit", (l) => l.length);
    check(hits === 10, "ten hits on a page: " + hits);
    const marks = await page.$$eval(".snippet mark", (l) => l.map((m) => m.textContent.toLowerCase()));
    check(marks.length > 0 && marks.every((m) => m.startsWith("said")), "snippets mark the query: " + marks);
    check(await page.$("#timeline svg rect.bar"), "timeline drawn");
    check(await page.$("#facets button[data-facet=section]"), "section facets drawn");
    fs.mkdirSync(shots, { recursive: true });
    const shot = path.join(shots, "serve-results.png");
    await page.screenshot({ path: shot, fullPage: false });
    report.screenshot = shot;

    // Page forward, and back.
    await page.click("#pager button.next");
    await settled(page, () => location.search.includes("page=2"), "next page");
    const status2 = await page.$eval("#status", (e) => e.textContent);
    check(status2.startsWith("11–"), "page 2 starts at hit 11: " + status2);
    await page.goBack();
    await settled(page, () => !location.search.includes("page=2"), "back button");
    check((await page.$eval("#status", (e) => e.textContent)).startsWith("1–"), "back on page 1");

    // Brush across two neighbouring bars of the timeline: the dates narrow to both periods.
    const bars = await page.$$eval("#timeline rect.bar", (rects) =>
      rects.map((r) => [r.dataset.period, parseInt(r.getAttribute("aria-label").split(": ")[1].replace(/\D/g, ""), 10)]));
    let pair = -1;
    for (let i = 0; i + 1 < bars.length; i++) {
      const n = bars[i][1] + bars[i + 1][1];
      if (n > 0 && n < all && (pair < 0 || n > bars[pair][1] + bars[pair + 1][1])) pair = i;
    }
    check(pair >= 0, "two neighbouring bars hold part of the matches: " + JSON.stringify(bars));
    const box = await page.$eval("#timeline svg", (svg) => { svg.scrollIntoView({ block: "center" }); const b = svg.getBoundingClientRect(); return [b.left, b.top, b.width, b.height]; });
    const slot = (i) => box[0] + (i + 0.5) * box[2] / bars.length;
    await page.mouse.move(slot(pair), box[1] + box[3] / 2);
    await page.mouse.down();
    await page.mouse.move(slot(pair + 1), box[1] + box[3] / 2, { steps: 4 });
    check(await page.$eval("#timeline rect.brush", (r) => r.getAttribute("visibility") === "visible"), "the brush is drawn while dragging");
    await page.mouse.up();
    const [from, to] = [bars[pair][0], bars[pair + 1][0]];
    await settled(page, () => location.search.includes("since=") && location.search.includes("until="), "timeline brush");
    const brushed = new URL(page.url()).searchParams;
    check(brushed.get("since").startsWith(from) && brushed.get("until").startsWith(to),
      `brush ${from}..${to} sets the dates: ${brushed}`);
    check(brushed.get("since").endsWith("-01") && brushed.get("q") === "said", "since is the first day; the query is kept: " + brushed);
    const inBrush = await statusTotal(page);
    const brushExpected = bars[pair][1] + bars[pair + 1][1];
    check(inBrush === brushExpected && inBrush < all, `brush ${from}..${to} narrows ${all} -> ${inBrush} (bars: ${brushExpected})`);
    const brushDates = await page.$$eval(".hit time", (l) => l.map((t) => t.textContent));
    check(brushDates.every((d) => d >= brushed.get("since") && d <= brushed.get("until")),
      `every hit between ${brushed.get("since")} and ${brushed.get("until")}: ${brushDates}`);
    report.brushed = { from, to, in_brush: inBrush };
    await page.goBack();
    await settled(page, () => !location.search.includes("since="), "back from the brush");

    // The same with the keyboard: focus the first bar, Shift+ArrowRight, Enter.
    await page.$eval("#timeline rect.bar", (r) => r.focus());
    check(await page.evaluate(() => document.activeElement.dataset.period === document.querySelector("#timeline rect.bar").dataset.period),
      "the first bar takes the focus");
    await page.keyboard.down("Shift");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.up("Shift");
    await page.keyboard.press("Enter");
    await settled(page, () => location.search.includes("since="), "keyboard brush");
    const keyed = new URL(page.url()).searchParams;
    check(keyed.get("since").startsWith(bars[0][0]) && keyed.get("until").startsWith(bars[1][0]),
      `keyboard brush over the first two bars: ${keyed}`);
    check((await statusTotal(page)) === bars[0][1] + bars[1][1], "keyboard brush total");
    await page.goBack();
    await settled(page, () => !location.search.includes("since="), "back from the keyboard brush");

    // Click a section facet: results and URL narrow.
    const section = await page.$eval("#facets button[data-facet=section]", (b) => b.textContent);
    await page.click("#facets button[data-facet=section]");
    await settled(page, () => location.search.includes("section="), "section facet");
    const inSection = await statusTotal(page);
    check(inSection < all && inSection > 0, `section narrows ${all} -> ${inSection}`);
    const sections = await page.$$eval(".hit .meta button[data-facet=section]", (l) => l.map((b) => b.textContent));
    check(sections.length && sections.every((s) => s === section), "every hit in " + section + ": " + sections);
    check(await page.$(".chip"), "the filter shows as a removable chip");

    // Click the tallest timeline bar: dates narrow.
    const bar = await page.$$eval("#timeline rect.bar", (rects) => {
      let best = rects[0];
      for (const r of rects) if (+r.getAttribute("height") > +best.getAttribute("height")) best = r;
      return best.dataset.period;
    });
    await page.click(`#timeline rect.bar[data-period="${bar}"]`);
    await settled(page, () => location.search.includes("since=") && location.search.includes("until="), "timeline bar");
    const inBar = await statusTotal(page);
    check(inBar > 0 && inBar < inSection, `timeline bar ${bar} narrows ${inSection} -> ${inBar}`);
    const url = new URL(page.url());
    check(url.searchParams.get("section") === section, "section kept in the URL");
    const dates = await page.$$eval(".hit time", (l) => l.map((t) => t.textContent));
    check(dates.every((d) => d.startsWith(bar)), `every hit dated ${bar}: ${dates}`);
    report.narrowed = { all, section, in_section: inSection, bar, in_bar: inBar };

    // Remove the date filter via its chip.
    await page.click(".chip:last-child button");
    await settled(page, () => !location.search.includes("since="), "chip removed");
    check((await statusTotal(page)) === inSection, "removing the date filter restores the section total");

    // Open an article: stored text with the query's words marked, a link to the original.
    const title = await page.$eval(".hit h2 a", (a) => a.textContent);
    await Promise.all([page.waitForNavigation(), page.click(".hit h2 a")]);
    await page.waitForSelector("#doc-view h1");
    check((await page.$eval("#doc-view h1", (h) => h.textContent)) === title, "article title");
    const docMarks = await page.$$eval("#doc-view p mark", (l) => l.length);
    check(docMarks > 0, "article marks the query's words");
    const original = await page.$eval("#doc-view .original a", (a) => a.href);
    check(/^https?:\/\//.test(original), "link to the original: " + original);

    // A hostile headline renders as text, in the list and in the article view.
    await page.goto(base + "/?q=" + encodeURIComponent("lighthouse keeper"), { waitUntil: "load" });
    await page.waitForSelector(".hit h2 a");
    const shown = await page.$eval(".hit h2 a", (a) => a.textContent);
    check(shown === HOSTILE, "hostile title shown as text: " + shown);
    // Its syndicated copy is collapsed into the hit: "also on 1 other page", which opens to
    // a link to the copy.
    const also = await page.$eval(".hit .copies summary", (s) => s.textContent);
    check(also === "also on 1 other page: mirror.example", "copies line: " + also);
    await page.click(".hit .copies summary");
    const copyLinks = await page.$$eval(".hit .copies a", (l) => l.map((a) => a.textContent));
    check(copyLinks.length === 1 && copyLinks[0] === "mirror.example", "copy listed: " + copyLinks);
    report.copies = also;
    check((await page.$$("#hits img, #hits script")).length === 0, "no element made from the title");
    await Promise.all([page.waitForNavigation(), page.click(".hit h2 a")]);
    await page.waitForSelector("#doc-view h1");
    check((await page.$eval("#doc-view h1", (h) => h.textContent)) === HOSTILE, "hostile title as text in the article");
    check((await page.$$("#doc-view img, #doc-view script")).length === 0, "no element made from the article");
    check((await page.evaluate(() => window.pwned)) === undefined, "no script from the page ran");
    if (base2) {
      // Several indexes: a hit of the second index opens that index's article.
      await page.goto(base2 + "/?q=" + encodeURIComponent("said"), { waitUntil: "load" });
      await page.waitForSelector(".hit h2 a");
      const link = await page.$$eval(".hit h2 a", (l) => {
        const a = l.find((x) => new URL(x.href).searchParams.get("index") === "1");
        return a && { href: a.getAttribute("href"), title: a.textContent };
      });
      check(link, "a hit of the second index links with index=1");
      await Promise.all([page.waitForNavigation(), page.click(`.hit h2 a[href="${link.href}"]`)]);
      await page.waitForSelector("#doc-view h1");
      check((await page.$eval("#doc-view h1", (h) => h.textContent)) === link.title, "the second index's article opens");
      report.several_indexes = link.href;
    }
    check(errors.length === 0, "no page errors: " + errors.join(" | "));
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(JSON.stringify(report));
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
