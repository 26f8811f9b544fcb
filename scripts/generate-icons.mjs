#!/usr/bin/env node
// Renders the PWA icons in public/icons/ from the logo (public/icon.svg) with headless
// Chromium, so no image tool is needed. Run after changing the logo; the PNGs are committed.
//   node scripts/generate-icons.mjs
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const out = path.join(root, "public", "icons");
const logo = readFileSync(path.join(root, "public", "icon.svg"), "utf8");
// The speech bubble without its rounded tile, for icons that bring their own background.
const bubble = logo.replace(/<rect[^>]*\/>/, "");

const icons = [
  // "any" icons: the logo as drawn, rounded tile on a transparent background.
  { file: "icon-192.png", size: 192, html: logo, transparent: true },
  { file: "icon-512.png", size: 512, html: logo, transparent: true },
  // Maskable: full-bleed colour, the bubble half as wide as the icon, well inside the 80% safe circle.
  { file: "icon-maskable-512.png", size: 512, html: tile(bubble, 0.5) },
  // iOS rounds the corners itself and dislikes transparency.
  { file: "apple-touch-icon.png", size: 180, html: tile(bubble, 0.6) },
];

/** The bubble on a full-bleed tile, `fraction` of the icon wide (its box is x 18–46, y 14–47). */
function tile(svg, fraction) {
  const side = 28 / fraction;
  const viewBox = `${32 - side / 2} ${30.5 - side / 2} ${side} ${side}`;
  const inner = svg.replace(/^<svg[^>]*>/, "").replace(/<\/svg>\s*$/, "");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${viewBox}"><rect x="-64" y="-64" width="192" height="192" fill="#5865f2"/>${inner}</svg>`;
}

mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
try {
  for (const icon of icons) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    await page.setContent(`<!doctype html><style>html,body{margin:0;width:100%;height:100%;background:transparent}svg{display:block;width:100%;height:100%}</style>${icon.html}`);
    await page.screenshot({ path: path.join(out, icon.file), omitBackground: !!icon.transparent });
    await page.close();
    console.log(`wrote public/icons/${icon.file} (${icon.size}x${icon.size})`);
  }
} finally {
  await browser.close();
}
