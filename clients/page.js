#!/usr/bin/env node
// Loads pages of `cert-preflight serve` in Debian's headless Chromium (driven by playwright-core)
// and prints, for each path, ONE JSON line of what a person would see in the DOM, so that a Rust
// test can assert on it: the tables' rows (cell texts), the filter form's values, the labels of
// the form controls, the number of <script> elements, the contrast ratio of the coloured cells,
// and the path of a screenshot.
//
// Usage: node clients/page.js BASE_URL OUT_DIR PATH...
//   e.g. node clients/page.js http://127.0.0.1:18911 target/page / '/?outcome=refused'
// Chromium: CHROMIUM (default /usr/bin/chromium). JavaScript is off in the page: it must work
// without it.
'use strict';

const path = require('path');
const fs = require('fs');
const modules = path.join(__dirname, '..', 'target', 'clients', 'node', 'node_modules');
const { chromium } = require(path.join(modules, 'playwright-core'));

async function main() {
  const [base, outDir, ...paths] = process.argv.slice(2);
  if (!base || !outDir || paths.length === 0) {
    console.error('usage: node clients/page.js BASE_URL OUT_DIR PATH...');
    process.exit(2);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    timeout: 30000,
  });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    let n = 0;
    for (const p of paths) {
      n += 1;
      const response = await page.goto(base + p, { waitUntil: 'load', timeout: 30000 });
      const screenshot = path.join(outDir, `page-${n}.png`);
      await page.screenshot({ path: screenshot, fullPage: true });
      const facts = await page.evaluate(() => {
        const text = (el) => el.textContent.replace(/\s+/g, ' ').trim();
        const tables = {};
        for (const table of document.querySelectorAll('table')) {
          tables[table.id || `table-${Object.keys(tables).length}`] = {
            headers: [...table.querySelectorAll('thead th')].map(text),
            header_scopes: [...table.querySelectorAll('th')].map((th) => th.getAttribute('scope')),
            rows: [...table.querySelectorAll('tbody tr')].map((tr) =>
              [...tr.querySelectorAll('th, td')].map(text)),
            cell_classes: [...table.querySelectorAll('tbody td')].map((td) => td.className),
          };
        }
        const controls = [...document.querySelectorAll('input, select')].map((el) => {
          const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
          return { id: el.id, name: el.name, value: el.value, label: label ? text(label) : null };
        });
        // WCAG 2 contrast of text against its background, for the coloured and muted text.
        const luminance = (rgb) => {
          const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((c) => {
            const s = c / 255;
            return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const background = (el) => {
          for (let e = el; e; e = e.parentElement) {
            const bg = getComputedStyle(e).backgroundColor;
            if (bg && !bg.startsWith('rgba(0, 0, 0, 0)') && bg !== 'transparent') return bg;
          }
          return 'rgb(255, 255, 255)';
        };
        const contrast = {};
        for (const selector of ['td.soon', 'td.expired', '.muted', 'a', '.ok', '.refused', 'th', 'td']) {
          const el = document.querySelector(selector);
          if (!el) continue;
          const fg = luminance(getComputedStyle(el).color);
          const bg = luminance(background(el));
          contrast[selector] = Math.round(((Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)) * 100) / 100;
        }
        return {
          // Wider than the window: a table runs off the right edge.
          overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth,
          title: document.title,
          lang: document.documentElement.lang,
          scripts: document.querySelectorAll('script').length,
          external: [...document.querySelectorAll('[src], link[href]')].length,
          tables,
          controls,
          contrast,
          text: text(document.body).slice(0, 4000),
        };
      });
      console.log(JSON.stringify({ path: p, status: response.status(), screenshot, ...facts }));
    }
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(String(error && error.stack || error));
  process.exit(1);
});
