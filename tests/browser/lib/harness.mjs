// What every browser scenario shares: Debian's Chromium started headless by playwright-core
// (never a browser download), the hub's address and credentials from the environment the C++
// test sets, screenshots into the build tree, and one RESULT line on stdout for the C++ side.
//
// A scenario fails (exit 1, with a screenshot) on its first broken expectation, and also when
// the page logs an error or the browser reports a Content-Security-Policy violation: the page
// must work under its strict policy, not merely load.
import {chromium} from "playwright-core";
import fs from "node:fs";
import path from "node:path";

export function env(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === "") {
    if (fallback !== undefined) return fallback;
    throw new Error(`environment variable ${name} is not set (the C++ test sets it)`);
  }
  return value;
}

export class Failure extends Error {}

export function check(condition, message) {
  if (!condition) throw new Failure(message);
}

const TIMEOUT = Number(process.env.SCENARIO_STEP_TIMEOUT_MS || 20000);

// Flags for a root user on a machine without a network or a GPU (see docs/dashboard.md).
const CHROMIUM_ARGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                       "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

export async function run(name, scenario) {
  const artifacts = env("ARTIFACT_DIR");
  fs.mkdirSync(artifacts, {recursive: true});
  fs.rmSync(path.join(artifacts, `${name}-failure.png`), {force: true});  // from an earlier run
  const browser = await chromium.launch({executablePath: env("CHROMIUM"), headless: true, chromiumSandbox: false,
                                         args: CHROMIUM_ARGS});
  const problems = [];
  // Substrings of problems a scenario provokes on purpose (a 400 it expects). Signed out, the
  // page's first question, GET /api/session, is answered 401: that is how it learns it.
  const allowed = ["status of 401 (Unauthorized) (" + env("HUB_URL") + "/api/session)"];
  const context = await browser.newContext({viewport: {width: 1280, height: 900}});
  context.setDefaultTimeout(TIMEOUT);
  const watch = (page) => {
    page.on("console", (message) => {
      if (message.type() === "error") {
        problems.push(`console error: ${message.text()} (${(message.location() || {}).url || "?"})`);
      }
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  };
  context.on("page", watch);
  const page = await context.newPage();
  const hub = env("HUB_URL");
  const result = {};
  let failed = null;
  try {
    await scenario({browser, context, page, hub, result, artifacts,
                    allowProblem: (substring) => allowed.push(substring),
                    screenshot: (file, options = {}) => page.screenshot({path: path.join(artifacts, file), ...options})});
    // Chromium logs every 4xx answer as a console error; those a scenario provokes are allowed.
    const unexpected = problems.filter((p) => !allowed.some((substring) => p.includes(substring)));
    check(unexpected.length === 0, `the page reported problems:\n${unexpected.join("\n")}`);
  } catch (error) {
    failed = error;
    try {
      await page.screenshot({path: path.join(artifacts, `${name}-failure.png`), fullPage: true});
    } catch (e) {
      // the page may be gone
    }
  } finally {
    await browser.close();
  }
  if (failed) {
    console.error(`SCENARIO ${name} FAILED: ${failed.stack || failed}`);
    process.exit(1);
  }
  console.log(`RESULT ${JSON.stringify(result)}`);
}

// Sign-in through the form, as a person would.
export async function signIn(page, hub, apiKey) {
  await page.goto(`${hub}/dashboard`);
  await page.getByLabel("API key").fill(apiKey);
  await page.getByRole("button", {name: "Sign in"}).click();
  await page.getByRole("heading", {name: "Integrations", exact: true}).waitFor();
}

// The card of an integration, by its name.
export function card(page, name) {
  return page.getByRole("article", {name, exact: true});
}

// The main application publishing an event for the account (SPEC §8), with its API key.
export async function publish(hub, apiKey, type, data) {
  const response = await fetch(`${hub}/api/events`, {
    method: "POST",
    headers: {"Authorization": `Bearer ${apiKey}`, "Content-Type": "application/json"},
    body: JSON.stringify({type, data}),
  });
  const body = await response.json();
  check(response.status === 202, `publishing ${type}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

export async function sleep(ms) {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

// Polls `probe` until it returns a truthy value.
export async function eventually(probe, message, timeoutMs = TIMEOUT) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Failure(`timed out: ${message}`);
    await sleep(100);
  }
}

// The accessible name of the focused element, roughly as a screen reader would say it.
export async function focusedName(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "";
    const labelledBy = el.getAttribute("aria-labelledby");
    if (labelledBy) return labelledBy.split(" ").map((id) => document.getElementById(id)?.textContent || "").join(" ").trim();
    if (el.getAttribute("aria-label")) return el.getAttribute("aria-label").trim();
    if (el.labels && el.labels.length) return el.labels[0].textContent.trim();
    return (el.textContent || "").trim();
  });
}

// Presses Tab (only the keyboard) until the focused element's name is `name`.
export async function tabTo(page, name, maxPresses = 80) {
  for (let i = 0; i < maxPresses; i += 1) {
    if ((await focusedName(page)) === name) return;
    await page.keyboard.press("Tab");
  }
  throw new Failure(`Tab never reached "${name}" (focus is on "${await focusedName(page)}")`);
}

// Fails with the offending elements when anything is wider than the window.
export async function expectNoHorizontalOverflow(page, label) {
  const report = await page.evaluate(() => {
    const width = window.innerWidth;
    const offenders = [];
    for (const el of document.querySelectorAll("body *")) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5) && !el.closest(".skip-link")) {
        offenders.push(`${el.tagName.toLowerCase()}.${el.className || ""} [${Math.round(box.left)}..${Math.round(box.right)}]`);
      }
    }
    return {width, scrollWidth: document.documentElement.scrollWidth, offenders: offenders.slice(0, 10)};
  });
  check(report.scrollWidth <= report.width && report.offenders.length === 0,
        `${label}: the page is wider than the ${report.width} px window (scrollWidth ${report.scrollWidth}): ` +
        report.offenders.join(", "));
}
