// Bundles the action into dist/index.cjs, the one file action.yml runs (main and post), committed because the
// runner runs the repository as it is. CommonJS for node20 and node24, minified, no legal comments and no
// source paths, so the same sources always give the same bytes.
//   node scripts/build.mjs                 write dist/index.cjs
//   node scripts/build.mjs --check [FILE]  exit 1 when FILE (default dist/index.cjs) differs from a fresh build
import { readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import * as esbuild from "esbuild"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const target = join(root, "dist", "index.cjs")

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ["src/index.ts"],
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  legalComments: "none",
  charset: "utf8",
  logLevel: "warning",
  // only the `sdk` transports load these, and the action never chooses them
  external: ["tencentcloud-sdk-nodejs-tke", "tencentcloud-sdk-nodejs-common", "@alicloud/*", "@darabonba/*"],
  write: false
})
const fresh = result.outputFiles[0].contents

const args = process.argv.slice(2)
if (args[0] === "--check") {
  const file = args[1] ?? target
  let committed
  try {
    committed = readFileSync(file)
  } catch {
    committed = Buffer.alloc(0)
  }
  if (Buffer.compare(Buffer.from(fresh), committed) !== 0) {
    console.error(
      `${file} differs from a fresh build (${committed.length} bytes committed, ${fresh.length} built): run \`npx --yes pnpm@9.15.9 --filter @kubecred/action bundle\` and commit dist/index.cjs`
    )
    process.exit(1)
  }
  console.log(`${file} matches a fresh build (${(fresh.length / 1024).toFixed(0)} KiB)`)
} else {
  writeFileSync(target, fresh)
  console.log(`dist/index.cjs ${(fresh.length / 1024).toFixed(0)} KiB`)
}
