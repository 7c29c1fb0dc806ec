// Bundles the bin (and a library entry for the benchmark) into dist/ as node20 ESM (the bin keeps src/bin.ts's
// hashbang). The published package ships dist/esm and dist/cjs instead (scripts/build-lib.mjs).
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const shared = {
  absWorkingDir: dirname(fileURLToPath(import.meta.url)),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: false,
  logLevel: "warning",
  // Bundled CommonJS dependencies call require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
  }
}

await build({
  ...shared,
  entryPoints: ["src/bin.ts"],
  outfile: "dist/bin.js"
})
await build({ ...shared, entryPoints: ["src/index.ts"], outfile: "dist/index.js" })
