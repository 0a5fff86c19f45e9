// Copies the xterm.js build the page needs from node_modules into
// assets/dist, where go:embed picks it up. The packages ship self-contained
// ES modules (lib/*.mjs), so nothing needs bundling. Run `npm ci` first.
//
// Each script and style sheet gets a gzip copy beside it (NAME.gz), which
// the server sends to browsers that accept gzip and `nslab export` copies
// for static servers that do the same: xterm.mjs is a quarter of its size
// so, a fifth of a second less to wait on a 10 Mbit/s link.
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { constants, gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "assets", "dist");
const mods = join(root, "node_modules");

// [from under node_modules, to under assets/dist]
const files = [
  ["@xterm/xterm/lib/xterm.mjs", "xterm.mjs"],
  ["@xterm/xterm/css/xterm.css", "xterm.css"],
  ["@xterm/xterm/LICENSE", "xterm.LICENSE"],
  ["@xterm/addon-fit/lib/addon-fit.mjs", "addon-fit.mjs"],
  ["@xterm/addon-webgl/lib/addon-webgl.mjs", "addon-webgl.mjs"],
];

await mkdir(dist, { recursive: true });
for (const [from, to] of files) {
  const src = join(mods, from);
  try {
    if (to.endsWith(".mjs")) {
      // Drop the source map reference: the maps are not shipped, and a
      // browser with developer tools open would ask for them.
      const text = await readFile(src, "utf8");
      await writeFile(join(dist, to), text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n"));
    } else {
      await copyFile(src, join(dist, to));
    }
    if (/\.(mjs|css)$/.test(to)) {
      const gz = gzipSync(await readFile(join(dist, to)), { level: constants.Z_BEST_COMPRESSION });
      await writeFile(join(dist, to + ".gz"), gz);
    }
  } catch (err) {
    console.error(`assets/build.mjs: cannot copy ${from}: ${err.message} (run \`npm ci\` first)`);
    process.exit(1);
  }
}
const versions = {};
for (const pkg of ["@xterm/xterm", "@xterm/addon-fit", "@xterm/addon-webgl"]) {
  versions[pkg] = JSON.parse(await readFile(join(mods, pkg, "package.json"), "utf8")).version;
}
console.log(`assets/dist: ${files.length} files from ${Object.entries(versions).map(([k, v]) => k + "@" + v).join(", ")}`);
