// The one build of every library package (core, kubeconfig, http-proxy, tencent, alibaba, mock-cloud), run
// from the package's directory (`"build": "node ../../scripts/build-lib.mjs"`). It writes what the package's
// publishConfig.exports points at:
//   dist/esm/**  ES modules + .d.ts (the `import` condition)
//   dist/cjs/**  CommonJS + .d.ts (the `require` condition; dist/cjs/package.json says "type": "commonjs")
// Every .js and .d.ts has a source map into src/, which the tarball ships. Declarations come from tsc with the
// workspace's own compiler options (tsconfig.base.json), JavaScript from esbuild file by file (no bundling:
// the `"./*"` export publishes each module as it is). The workspace itself never reads dist: its exports point
// at src/*.ts.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import * as esbuild from "esbuild"
import ts from "typescript"

const root = join(import.meta.dirname, "..")
const pkg = process.cwd()
const src = join(pkg, "src")
const esm = join(pkg, "dist", "esm")
const cjs = join(pkg, "dist", "cjs")
rmSync(esm, { recursive: true, force: true })
rmSync(cjs, { recursive: true, force: true })

const sources = readdirSync(src, { recursive: true })
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
  .map((f) => join(src, f))

// Declarations: the base options (strict, exactOptionalPropertyTypes, ...) with declaration emit on.
const base = ts.getParsedCommandLineOfConfigFile(
  join(root, "tsconfig.base.json"),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => fail([d])
  }
)
const program = ts.createProgram(sources, {
  ...base.options,
  noEmit: false,
  declaration: true,
  emitDeclarationOnly: true,
  declarationMap: true,
  rootDir: src,
  outDir: esm
})
// Only what declaration emit reports: the full type-check is `pnpm run typecheck`'s (same options).
fail([...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics(), ...program.emit().diagnostics])

// JavaScript, both formats, each file mapped to its source.
const common = {
  absWorkingDir: pkg,
  entryPoints: sources,
  outbase: src,
  bundle: false,
  platform: "node",
  target: "node20",
  sourcemap: true,
  sourcesContent: false,
  logLevel: "warning"
}
await Promise.all([
  esbuild.build({ ...common, outdir: esm, format: "esm" }),
  esbuild.build({ ...common, outdir: cjs, format: "cjs" })
])
// Each format's folder says its module type, and repeats the package's sideEffects (bundlers read the nearest
// package.json), relative to itself.
const { sideEffects } = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"))
const manifest = (type, dir) => ({
  type,
  sideEffects: Array.isArray(sideEffects)
    ? sideEffects.filter((f) => f.startsWith(`./dist/${dir}/`)).map((f) => f.replace(`/dist/${dir}`, ""))
    : sideEffects
})
writeFileSync(join(esm, "package.json"), `${JSON.stringify(manifest("module", "esm"))}\n`)
writeFileSync(join(cjs, "package.json"), `${JSON.stringify(manifest("commonjs", "cjs"))}\n`)

// The same declarations describe the CommonJS files: copied, they are read as CommonJS next to them.
for (const f of readdirSync(esm, { recursive: true })) {
  if (!/\.d\.ts(\.map)?$/.test(f)) continue
  mkdirSync(join(cjs, f, ".."), { recursive: true })
  cpSync(join(esm, f), join(cjs, f))
}
console.log(`${relative(root, pkg)}: ${sources.length} modules -> dist/esm, dist/cjs`)

function fail(diagnostics) {
  if (diagnostics.length === 0) return
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => pkg, getNewLine: () => "\n" }
  console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host))
  process.exit(1)
}
