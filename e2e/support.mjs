// Helpers for the browser tests: a real `nslab serve` on a free port, a
// real headless Chromium (the system's, never a downloaded one), and ways
// to type into the page's terminals and read them back.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
export const binary = process.env.NSLAB_BIN || join(repo, "bin", "nslab");
export const chromiumPath = process.env.NSLAB_CHROMIUM || "/usr/bin/chromium";
const screenshots = join(repo, "e2e", "screenshots");

/**
 * needs fails the test with what is missing and how to get it, or skips it
 * when NSLAB_ALLOW_SKIP=1 (an opt-out CI never sets). It returns false
 * when the test must stop.
 */
export function needs(t, ok, what, how) {
  if (ok) return true;
  const msg = `this test needs ${what}: ${how}`;
  if (process.env.NSLAB_ALLOW_SKIP === "1") {
    t.skip(`${msg} (skipped: NSLAB_ALLOW_SKIP=1)`);
    return false;
  }
  throw new Error(`${msg} (set NSLAB_ALLOW_SKIP=1 to skip such tests instead)`);
}

/**
 * requirements checks for the binary, Chromium and playwright-core. It
 * returns {pw} when all are there, else {missing: [what, how]} for needs:
 * hooks cannot skip, so each test calls ready(t) itself.
 */
export async function requirements() {
  if (!existsSync(binary)) return { missing: [`the nslab binary at ${binary}`, "build it with `go build -o bin/nslab ./cmd/nslab`"] };
  if (!existsSync(chromiumPath)) return { missing: [`Chromium at ${chromiumPath}`, "install it with `apt-get install -y chromium`"] };
  try {
    return { pw: await import("playwright-core") };
  } catch {
    return { missing: ["the npm package playwright-core", "run `npm ci`"] };
  }
}

/** liveOnly turns a server without live labs into a missing requirement. */
export function liveOnly(req, server) {
  if (!server || server.mode === "live") return req;
  return { missing: ["live labs (nslab serve fell back to simulated labs)", "run the tests as root on Linux with namespaces"] };
}

/** ready says whether the test can go on, failing or skipping it per needs when not. */
export function ready(t, req) {
  return req?.pw ? true : needs(t, false, ...(req?.missing ?? ["its requirements", "see e2e/README.md"]));
}

/**
 * startServer runs `nslab serve --addr 127.0.0.1:0 ARGS…` and waits for
 * its `msg=serving url=…` log line.
 */
export async function startServer(args = []) {
  const proc = spawn(binary, ["serve", "--addr", "127.0.0.1:0", ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const log = [];
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nslab serve printed no "serving" line in 30 s:\n${log.join("\n")}`)), 30000);
    createInterface({ input: proc.stderr }).on("line", (line) => {
      log.push(line);
      if (log.length > 200) log.shift();
      const m = /msg="?serving"?.*?\burl="?(https?:\/\/[^\s"]+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ""));
      }
    });
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`nslab serve exited with ${code} before serving:\n${log.join("\n")}`));
    });
  });
  // The server says once whether it makes live labs; ask /healthz.
  const health = await fetch(url + "/healthz").then((r) => r.json()).catch(() => ({}));
  return {
    url,
    log,
    mode: health.mode,
    async stop() {
      if (proc.exitCode !== null) return;
      const done = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 15000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** launch starts headless Chromium with a fresh user data directory; extra adds flags. */
export async function launch(pw, extra = []) {
  const dataDir = mkdtempSync(join(tmpdir(), "nslab-e2e-chromium-"));
  const ctx = await pw.chromium.launchPersistentContext(dataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ...extra,
    ],
    viewport: { width: 1600, height: 1000 },
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    // A failed request is reported below with its address instead.
    if (m.type() === "error" && !/^Failed to load resource/.test(m.text())) problems.push(`console error: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return {
    page,
    problems,
    async close() {
      await ctx.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * shot saves a screenshot as e2e/screenshots/NAME.png, first scrolling the
 * element FOCUS (a CSS selector) into view if given. The scroll is one
 * evaluate in the page: the views re-render their sections as the state
 * changes, so a locator's scroll could find its element detached.
 */
export async function shot(page, name, focus) {
  if (focus) await page.evaluate((sel) => document.querySelector(sel)?.scrollIntoView({ block: "nearest" }), focus);
  mkdirSync(screenshots, { recursive: true });
  const path = join(screenshots, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** termText is terminal n's whole text, as xterm.js holds it. */
export function termText(page, n) {
  return page.evaluate((n) => window.nslab.termText(n), n);
}

/** waitTerm waits until terminal n's text matches re and returns the match. */
export async function waitTerm(page, n, re, timeout = 15000) {
  try {
    await page.waitForFunction(
      ([n, src, flags]) => new RegExp(src, flags).test(window.nslab.termText(n)),
      [n, re.source, re.flags],
      { timeout, polling: 50 },
    );
  } catch (err) {
    throw new Error(`terminal ${n} never showed ${re}; it reads:\n${await termText(page, n)}\n(${err.message.split("\n")[0]})`);
  }
  return re.exec(await termText(page, n));
}

/** run types a command line into terminal n and presses Enter. */
export async function run(page, n, line) {
  await page.focus(`#term-${n} .xterm-helper-textarea`);
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
}

/**
 * runAndWait types line and waits for the shell's next prompt (a line
 * ending in "#" or "$" below the one typed on), so the next command does
 * not race the shell.
 */
export async function runAndWait(page, n, line, timeout = 15000) {
  const { feeds } = await page.evaluate((n) => window.nslab.cursor(n), n);
  await run(page, n, line);
  await page.waitForFunction(
    ([n, feeds]) => {
      const c = window.nslab.cursor(n);
      return c.feeds > feeds && /[#$]$/.test(c.line.trimEnd());
    },
    [n, feeds],
    { timeout, polling: 50 },
  ).catch(async (err) => {
    throw new Error(`no prompt after ${JSON.stringify(line)} in terminal ${n}; it reads:\n${await termText(page, n)}\n(${err.message.split("\n")[0]})`);
  });
}

/**
 * startLab opens the landing page, clicks "Start a live lab" and waits for
 * the first prompt. It returns the page's own measure of click to prompt.
 */
export async function startLab(page, url) {
  await page.goto(url + "/");
  await page.click("#start");
  await page.waitForURL(/\/lab\//, { timeout: 15000 });
  await page.waitForFunction(() => window.nslab && window.nslab.metrics.promptMs > 0, null, { timeout: 20000, polling: 20 })
    .catch(async (err) => {
      throw new Error(`no prompt in the first terminal: ${await termText(page, 0).catch(() => "?")}\n${err.message.split("\n")[0]}`);
    });
  return page.evaluate(() => ({ ...window.nslab.metrics, href: location.href }));
}

/** endLab deletes the page's lab through the API, with the token the page kept. */
export async function endLab(page) {
  await page.evaluate(async () => {
    const id = document.getElementById("lab")?.dataset.lab;
    const token = id && sessionStorage.getItem("nslab.token." + id);
    const over = document.getElementById("conn")?.textContent === "lab ended";
    if (token && !over) await fetch(`/api/labs/${id}`, { method: "DELETE", headers: { Authorization: "Bearer " + token } });
  }).catch(() => {});
}

/**
 * exportSite runs `nslab export DIR` into a fresh temporary directory and
 * returns it; remove it with rmSync when done.
 */
export async function exportSite() {
  const dir = mkdtempSync(join(tmpdir(), "nslab-e2e-export-"));
  const proc = spawn(binary, ["export", "--force", dir], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  proc.stderr.on("data", (b) => { stderr += b; });
  const code = await new Promise((resolve) => proc.on("exit", resolve));
  if (code !== 0) throw new Error(`nslab export exited with ${code}:\n${stderr}`);
  return dir;
}

const mediaTypes = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
  ".svg": "image/svg+xml", ".wasm": "application/wasm", ".json": "application/json",
};

/**
 * staticServer serves the files of dir under prefix (like "/course/nslab/")
 * the way a plain static file server does: files only, index.html for a
 * directory, a precompressed FILE.gz when the browser accepts gzip, 404
 * for anything else. It records every request's path in .requests. With
 * plain it is more naive still: no .gz, and .wasm as application/octet-stream.
 */
export async function staticServer(dir, prefix, { plain = false } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push(`${req.method} ${path}`);
    const notFound = () => { res.writeHead(404, { "Content-Type": "text/plain" }); res.end("not found\n"); };
    if (!path.startsWith(prefix) || (req.method !== "GET" && req.method !== "HEAD")) return notFound();
    let file = normalize(join(dir, path.slice(prefix.length)));
    if (!file.startsWith(dir)) return notFound();
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const type = plain && extname(file) === ".wasm" ? undefined : mediaTypes[extname(file)];
      const headers = { "Content-Type": type || "application/octet-stream", "Vary": "Accept-Encoding" };
      let body = file;
      if (!plain && /\bgzip\b/.test(req.headers["accept-encoding"] || "") && existsSync(file + ".gz")) {
        body = file + ".gz";
        headers["Content-Encoding"] = "gzip";
      }
      const data = await readFile(body);
      headers["Content-Length"] = data.length;
      res.writeHead(200, headers);
      res.end(req.method === "HEAD" ? undefined : data);
    } catch {
      notFound();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
