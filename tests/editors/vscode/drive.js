// Run by tests/editors.rs: opens a kojo project in VS Code (code-server,
// already started with the packaged extension installed) in headless
// Chromium, and writes what the editor shows to $KOJO_OUT, one line each:
// the Problems panel, the hover of a zone name, and the completion list
// after typing the start of a zone name. Exits non-zero when a step times
// out, after writing what it got and a screenshot ($KOJO_SHOT) to look at.
//
// It works the editor as a user does (Quick Open, the mouse, typing,
// Ctrl+Space), so it reads VS Code's rendering, not the protocol.

"use strict";
const fs = require("fs");
const puppeteer = require("puppeteer-core");

const out = [];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `probe` in the page until it returns something truthy.
async function until(page, what, probe, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const value = await page.evaluate(probe);
    if (value) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

// A probe for the middle of `word` on the editor's line reading `line`,
// however the editor splits the line into coloured spans.
function spotOf(line, word) {
  return new Function(`
    for (const row of document.querySelectorAll(".monaco-editor .view-line")) {
      if (row.innerText.replace(/\\u00a0/g, " ").trim() !== ${JSON.stringify(line)}) continue;
      const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf(${JSON.stringify(word)});
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + ${word.length});
        const r = range.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      }
    }
    return null;`);
}

async function chord(page, modifiers, key) {
  for (const m of modifiers) await page.keyboard.down(m);
  await page.keyboard.press(key);
  for (const m of modifiers.slice().reverse()) await page.keyboard.up(m);
}

async function main(page) {
  await page.setViewport({ width: 1400, height: 900 });
  const folder = encodeURIComponent(process.env.KOJO_PROJECT);
  await page.goto(`${process.env.KOJO_URL}/?folder=${folder}`, { waitUntil: "domcontentloaded" });
  await page.waitForSelector(".monaco-workbench", { timeout: 90000 });
  // VS Code asks whether to trust the folder's authors. The answer is no:
  // kojo must work in Restricted Mode, as on a pull request's checkout.
  const trust = await until(page, "the question whether to trust the folder", () => {
    const button = [...document.querySelectorAll(".monaco-dialog-box .monaco-button")]
      .find((b) => b.innerText.includes("No, I don't trust"));
    return button ? button.innerText.trim() : null;
  }, 60000);
  await page.evaluate(() => {
    [...document.querySelectorAll(".monaco-dialog-box .monaco-button")]
      .find((b) => b.innerText.includes("No, I don't trust"))
      .click();
  });
  out.push(`trust ${trust}`);
  await until(page, "the explorer", () => document.querySelector(".explorer-folders-view"), 60000);

  // Quick Open, as a user opens a file.
  await chord(page, ["Control"], "KeyP");
  await page.waitForSelector(".quick-input-widget input", { visible: true, timeout: 30000 });
  await page.keyboard.type(process.env.KOJO_FILE);
  await until(page, "the file in Quick Open", () => document.querySelector(".quick-input-list .monaco-list-row"), 30000);
  await page.keyboard.press("Enter");
  await page.waitForSelector(".monaco-editor .view-lines", { timeout: 30000 });
  const language = await until(page, "the language in the status bar", () => {
    const item = document.querySelector("#status\\.editor\\.mode");
    return item && item.innerText.trim();
  }, 30000);
  out.push(`language ${language}`);

  // The Problems panel (Ctrl+Shift+M), once kojo lsp has published.
  await chord(page, ["Control", "Shift"], "KeyM");
  const problems = await until(page, "a problem from kojo", () => {
    const panel = document.querySelector(".markers-panel");
    return panel && panel.innerText.includes("KOJO-") && panel.innerText;
  }, 90000);
  for (const line of problems.split("\n")) out.push(`problem ${line.trim()}`);

  // Hover: the mouse over a zone name in the text.
  const [line, word] = process.env.KOJO_HOVER.split("|");
  const spot = await until(page, `\`${word}\` on screen`, spotOf(line, word), 30000);
  await page.mouse.move(spot.x, spot.y);
  await sleep(100);
  await page.mouse.move(spot.x + 1, spot.y);
  const hover = await until(page, "a hover", () => {
    const box = document.querySelector(".monaco-hover:not(.hidden)");
    return box && box.innerText.trim();
  }, 30000);
  out.push(`hover ${hover.replace(/\s+/g, " ")}`);
  // Japanese titles on screen, not boxed as suspicious characters even in
  // Restricted Mode (the extension's defaults for `[kojo]`).
  out.push(`unicode-highlights ${await page.evaluate(() =>
    document.querySelectorAll(".part.editor .monaco-editor .unicode-highlight").length)}`);
  // The hover fades in.
  await sleep(500);
  if (process.env.KOJO_SHOT) await page.screenshot({ path: process.env.KOJO_SHOT });

  // A second hover: a rule's `kojo explain` page, in the language asked,
  // on the file's last line.
  const [ruleLine, rule] = process.env.KOJO_HOVER_RULE.split("|");
  await page.mouse.move(5, 5);
  await page.click(".part.editor .monaco-editor .view-lines");
  await chord(page, ["Control"], "End");
  const ruleSpot = await until(page, `\`${rule}\` on screen`, spotOf(ruleLine, rule), 30000);
  await page.mouse.move(ruleSpot.x, ruleSpot.y);
  await sleep(100);
  await page.mouse.move(ruleSpot.x + 1, ruleSpot.y);
  const explained = await until(page, "the rule's hover", new Function(`
    const box = document.querySelector(".monaco-hover:not(.hidden)");
    // The page's title, "RULE: …": the line's problems may show first.
    return box && box.innerText.includes(${JSON.stringify(rule + ": ")}) && box.innerText.trim();`), 30000);
  out.push(`rule ${explained.replace(/\s+/g, " ")}`);

  // Completion: type the start of a declaration at the end of the file and
  // ask for completion as a user does.
  await page.mouse.move(5, 5);
  await page.keyboard.press("Escape");
  await until(page, "the hover to close", () => !document.querySelector(".monaco-hover:not(.hidden)"), 10000);
  // Into the text, where a user clicks (the editor's element as a whole
  // can be covered by its own widgets).
  await page.mouse.click(ruleSpot.x, ruleSpot.y);
  await chord(page, ["Control"], "End");
  await page.keyboard.press("Enter");
  await page.keyboard.type(process.env.KOJO_TYPE);
  await chord(page, ["Control"], "Space");
  const items = await until(page, "completions", () => {
    const rows = [...document.querySelectorAll(".suggest-widget .monaco-list-row .label-name")];
    return rows.length > 0 && rows.map((r) => r.innerText.trim());
  }, 30000);
  for (const item of items) out.push(`completion ${item}`);
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.KOJO_CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const page = await browser.newPage();
  let failed = null;
  try {
    await main(page);
  } catch (error) {
    failed = error;
    out.push(`failed ${error.message}`);
    if (process.env.KOJO_SHOT) await page.screenshot({ path: process.env.KOJO_SHOT }).catch(() => {});
  }
  await browser.close();
  fs.writeFileSync(process.env.KOJO_OUT, out.join("\n") + "\n");
  process.exit(failed ? 1 : 0);
})();
