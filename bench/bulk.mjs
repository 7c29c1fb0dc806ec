#!/usr/bin/env node
// Runs bench/bulk.ts: bundles it with esbuild into a temporary directory,
// builds the mock's bin if needed, and runs the bundle with node. See bench/README.md.
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { build } from "esbuild"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
const mockDir = join(here, "..", "mocks", "server")
const mockBin = join(mockDir, "dist", "bin.js")
if (!existsSync(mockBin)) {
  console.error("bench/bulk: building the mock cloud bin first")
  const built = spawnSync(process.execPath, [join(mockDir, "build.mjs")], { stdio: "inherit" })
  if (built.status !== 0) process.exit(built.status ?? 1)
}

const out = mkdtempSync(join(tmpdir(), "kubecred-bulk-bundle-"))
const outfile = join(out, "bulk.mjs")
await build({
  absWorkingDir: here,
  entryPoints: [join(here, "bulk.ts")],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  logLevel: "warning",
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
  }
})
const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, BULK_MOCK_BIN: mockBin }
})
rmSync(out, { recursive: true, force: true })
process.exit(run.status ?? 1)
