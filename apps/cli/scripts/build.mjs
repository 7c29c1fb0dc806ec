// Bundles the CLI: one minified ESM entry (dist/kubecred.mjs) plus lazily loaded chunks (the mock cloud,
// cli-progress, the Effect program behind the `credential` fast path). Deep imports and node:http keep the
// start-up small; the official SDKs stay external and are imported only by `--transport sdk`.
import { chmodSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import * as esbuild from "esbuild"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const outdir = join(root, "dist")
rmSync(outdir, { recursive: true, force: true })

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { kubecred: "src/bin.ts" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  mainFields: ["module", "main"],
  conditions: ["module", "import"],
  external: ["tencentcloud-sdk-nodejs-tke", "tencentcloud-sdk-nodejs-common", "@alicloud/*", "@darabonba/*"],
  banner: {
    js: "#!/usr/bin/env node\nimport{createRequire as __kcRequire}from'node:module';const require=__kcRequire(import.meta.url);"
  },
  metafile: true,
  logLevel: "warning"
})

chmodSync(join(outdir, "kubecred.mjs"), 0o755)
writeFileSync(join(outdir, "meta.json"), JSON.stringify(result.metafile))
const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith(".mjs"))
  .map(([file, info]) => `${file.replace(/^.*dist\//, "dist/")} ${(info.bytes / 1024).toFixed(0)} KiB`)
console.log(sizes.join("\n"))
