// Bundles the CLI into apps/cli/dist:
//   kubecred.cjs  the entry (CommonJS, a few KiB, no Effect): the `credential` fast path, then loads main.cjs
//   main.cjs      the Effect program (CommonJS so that it can be loaded through a V8 code cache)
//   mock.cjs      the mock cloud, loaded only by `mock` / `--mock`
//   progress.cjs  cli-progress, loaded only for a progress bar on a TTY
//   sdk-tencent.cjs, sdk-alibaba.cjs  the official SDKs, loaded only by `--transport sdk`
// Minified, node20, deep imports, node:http. Nothing is left to node_modules: the published package has no
// dependencies (its package.json lists them all as devDependencies). Then one warm-up run against the
// in-process mock leaves a V8 code cache in dist/.cache (not published: `files` ships dist/*.mjs, *.cjs).
import { spawn, spawnSync } from "node:child_process"
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import * as esbuild from "esbuild"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const outdir = join(root, "dist")
rmSync(outdir, { recursive: true, force: true })

/** Which chunk holds an official SDK module: one per cloud, so that the modules of one SDK share one copy. */
const sdkChunk = (specifier) =>
  /^tencentcloud-sdk-nodejs-/.test(specifier)
    ? "sdk-tencent"
    : /^@(alicloud|darabonba)\//.test(specifier)
      ? "sdk-alibaba"
      : undefined
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
  // `kubecred version` is the package's own version (Changesets writes it), not a constant in the sources
  define: { __KUBECRED_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version) }
}

/** Imports of the lazily loaded parts become requires of their own files. */
const lazyParts = {
  name: "lazy-parts",
  setup(build) {
    build.onResolve({ filter: /^@kubecred\/mock-cloud$/ }, () => ({ path: "./mock.cjs", external: true }))
    build.onResolve({ filter: /^cli-progress$/ }, () => ({ path: "./progress.cjs", external: true }))
    build.onResolve({ filter: /^\.\/sdk-[a-z]+\.cjs$/ }, (args) => ({ path: args.path, external: true }))
    // An SDK module becomes the matching property of its cloud's chunk (collected for the chunk builds below).
    build.onResolve({ filter: /^(tencentcloud-sdk-nodejs-|@alicloud\/|@darabonba\/)/ }, (args) => {
      sdkModules.add(args.path)
      return { path: args.path, namespace: "sdk" }
    })
    build.onLoad({ filter: /.*/, namespace: "sdk" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`./${sdkChunk(args.path)}.cjs`)})[${JSON.stringify(args.path)}]`,
      loader: "js"
    }))
  }
}
const sdkModules = new Set()

/**
 * node:https, and TLS with it, loaded on first use: @effect/platform-node and @kubecred/http-proxy import it at
 * the top, and loading it costs a start about 5 ms, which a run against an http:// endpoint (the mock cloud, a
 * local gateway) never needs. Only those importers get the stand-in (the proxy libraries extend its classes and
 * keep the real module); the stand-in's `Agent` builds the real one (docs/decisions.md, "Start-up").
 */
const lazyHttps = {
  name: "lazy-https",
  setup(build) {
    build.onResolve({ filter: /^(node:)?https$/ }, (args) =>
      /\/packages\/http-proxy\/|\/@effect\/platform-node\//.test(args.importer)
        ? { path: "node:https", namespace: "lazy-https" }
        : undefined
    )
    build.onLoad({ filter: /.*/, namespace: "lazy-https" }, () => ({
      contents: [
        "let real",
        'const load = () => (real ??= require("node:https"))',
        "export function request(...args) { return load().request(...args) }",
        "export function get(...args) { return load().get(...args) }",
        "export function Agent(...args) { return new (load().Agent)(...args) }"
      ].join("\n"),
      loader: "js"
    }))
  }
}

/**
 * @effect/cli's interactive prompts (the `--wizard` mode and the Prompt module, neither of which kubecred
 * offers), initialised on first use: each prompt module renders a terminal beep with @effect/printer as it is
 * initialised, a few milliseconds of every start. Their importers get a stand-in whose functions load the real
 * module when first called (docs/decisions.md, "Start-up").
 */
const PROMPT =
  /[\\/]@effect[\\/]cli[\\/]dist[\\/]esm[\\/]internal[\\/]prompt[\\/](confirm|date|file|list|multi-select|number|select|text|toggle)\.js$/
const lazyPrompts = {
  name: "lazy-prompts",
  setup(build) {
    build.onResolve({ filter: /prompt\/[a-z-]+\.js$|^\.\/[a-z-]+\.js$/ }, async (args) => {
      if (args.pluginData === "real" || !/[\\/]@effect[\\/]cli[\\/]/.test(args.importer)) return undefined
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: "real"
      })
      const match = PROMPT.exec(resolved.path)
      // the stand-in's name is the module's, without the build machine's path
      return match
        ? { path: `@effect/cli/prompt/${match[1]}`, namespace: "lazy-prompt", pluginData: resolved.path }
        : undefined
    })
    build.onLoad({ filter: /.*/, namespace: "lazy-prompt" }, (args) => {
      const real = args.pluginData
      const names = [...readFileSync(real, "utf8").matchAll(/^export (?:const|function) ([A-Za-z_$][\w$]*)/gm)]
      return {
        contents: [
          `const real = () => require(${JSON.stringify(real)})`,
          ...names.map(([, name]) => `export const ${name} = (...args) => real().${name}(...args)`)
        ].join("\n"),
        loader: "js",
        resolveDir: dirname(real)
      }
    })
  }
}

/**
 * The YAML libraries, in their own chunk (dist/yaml.cjs) and loaded on first use: kubecred reads kubectl-style
 * files with its own scanner (packages/kubeconfig/src/internal/fastScan.ts), writes plain data with emit.ts and
 * reads the clouds' plain answers with packages/core/src/internal/plainYaml.ts, and falls back to a library for
 * anything else (yaml for the user's files, js-yaml for answers), so most commands never run one (nor do
 * @effect/cli's file options, yaml's other importer). Importers get a CommonJS stand-in with one getter per
 * export of the library's CommonJS build, which requires the chunk on first read; main.cjs, read on every
 * start, is 180 KB smaller.
 */
const lazyLibraries = new Map()
const lazyYaml = {
  name: "lazy-yaml",
  setup(build) {
    build.onResolve({ filter: /^\.\/yaml\.cjs$/ }, (args) => ({ path: args.path, external: true }))
    build.onResolve({ filter: /^(yaml|js-yaml)$/ }, async (args) => {
      if (args.pluginData === "real") return undefined
      const resolved = await build.resolve(args.path, {
        kind: "require-call",
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: "real"
      })
      // one copy of each (the stand-in is named without a path, which the license list would take for a package)
      const known = lazyLibraries.get(args.path) ?? resolved.path
      if (resolved.path !== known) throw new Error(`lazy-yaml: two copies of ${args.path} (${known}, ${resolved.path})`)
      lazyLibraries.set(args.path, known)
      return { path: args.path, namespace: "lazy-yaml", pluginData: resolved.path }
    })
    build.onLoad({ filter: /.*/, namespace: "lazy-yaml" }, (args) => {
      const keys = Object.keys(createRequire(import.meta.url)(args.pluginData))
      return {
        contents: [
          "let real",
          `const load = () => (real ??= require("./yaml.cjs")[${JSON.stringify(args.path)}])`,
          ...keys.map(
            (key) =>
              `Object.defineProperty(exports, ${JSON.stringify(key)}, { enumerable: true, get: () => load()[${JSON.stringify(key)}] })`
          )
        ].join("\n"),
        loader: "js"
      }
    })
  }
}

/** A chunk whose exports are the modules, by specifier ([specifier, what to require]; the entry is not kept on disk). */
const chunkOf = (name, modules) => ({
  ...common,
  stdin: {
    contents: `module.exports = {${modules.map(([key, m]) => `${JSON.stringify(key)}: require(${JSON.stringify(m)})`).join(",")}}`,
    resolveDir: root,
    sourcefile: `${name}.cjs`,
    loader: "js"
  },
  outfile: join(outdir, `${name}.cjs`),
  format: "cjs"
})

const results = await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: { kubecred: "src/bin.ts" },
    outdir,
    format: "cjs",
    outExtension: { ".js": ".cjs" },
    banner: { js: "#!/usr/bin/env node" }
  }),
  esbuild.build({
    ...common,
    entryPoints: { main: "src/main.ts" },
    outdir,
    format: "cjs",
    outExtension: { ".js": ".cjs" },
    plugins: [lazyParts, lazyHttps, lazyPrompts, lazyYaml],
    // import() becomes require(): main.cjs runs in a vm.Script, where node 20 has no dynamic import loader
    supported: { "dynamic-import": false }
  }),
  esbuild.build({
    ...common,
    entryPoints: { mock: fileURLToPath(import.meta.resolve("@kubecred/mock-cloud")) },
    outdir,
    format: "cjs",
    outExtension: { ".js": ".cjs" }
  }),
  esbuild.build({
    ...common,
    entryPoints: { progress: fileURLToPath(import.meta.resolve("cli-progress")) },
    outdir,
    format: "cjs",
    outExtension: { ".js": ".cjs" }
  })
])

// The SDK chunks hold exactly the SDK modules the program imports; the yaml chunk, the very files its importers
// resolved.
const chunks = { yaml: [...lazyLibraries] }
for (const m of [...sdkModules].sort()) (chunks[sdkChunk(m)] ??= []).push([m, m])
results.push(
  ...(await Promise.all(Object.entries(chunks).map(([name, modules]) => esbuild.build(chunkOf(name, modules)))))
)

chmodSync(join(outdir, "kubecred.cjs"), 0o755)
const outputs = Object.assign({}, ...results.map((r) => r.metafile.outputs))
writeThirdPartyLicenses(results.flatMap((r) => Object.keys(r.metafile.inputs)))
writeFileSync(join(outdir, "meta.json"), JSON.stringify({ outputs }))
console.log(
  Object.entries(outputs)
    .map(([file, info]) => `${file.replace(/^.*dist\//, "dist/")} ${(info.bytes / 1024).toFixed(0)} KiB`)
    .join("\n")
)

/** dist/THIRD-PARTY-LICENSES.txt: name, version, license and license text of every package bundled in dist. */
function writeThirdPartyLicenses(inputs) {
  const dirs = new Set()
  for (const input of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)
    if (m) dirs.add(join(root, m[1]))
  }
  const entries = [...dirs].map((dir) => {
    const { name, version, license } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
    const file = readdirSync(dir).find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f))
    const text =
      file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8").trim() : "(no license file)"
    return `${name}@${version} (${license ?? "see text"})\n\n${text}\n`
  })
  const unique = [...new Set(entries)].sort()
  const header = "The kubecred bundles in this directory include the following packages.\n"
  writeFileSync(join(outdir, "THIRD-PARTY-LICENSES.txt"), [header, ...unique].join(`\n${"-".repeat(78)}\n\n`))
  console.log(`dist/THIRD-PARTY-LICENSES.txt: ${unique.length} packages`)
}

// Warm-up: the code cache in dist/.cache makes every later start cheaper, and holds exactly the functions the
// run that made it compiled (a later run's cache keeps only what that run used, so caches do not add up). The
// run is the one most worth having fast: `add` as a user runs it, credentials from the environment, against
// a mock cloud in its own process (its code is another bundle). Other commands compile what else they need
// as they go. A failure here only costs that speed-up.
if (process.env.KUBECRED_SKIP_WARMUP !== "1") await warmUp()

async function warmUp() {
  const home = mkdtempSync(join(tmpdir(), "kubecred-build-"))
  const readyFile = join(home, "ready.json")
  const cli = join(outdir, "kubecred.cjs")
  // the mock's own process leaves the cache alone (it would write one of the mock command's functions at exit)
  const mock = spawn(process.execPath, [cli, "mock", "--ready-file", readyFile], {
    stdio: "ignore",
    env: { ...process.env, KUBECRED_CODE_CACHE: "0" }
  })
  try {
    const deadline = Date.now() + 30_000
    while (!existsSync(readyFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    const ready = JSON.parse(readFileSync(readyFile, "utf8"))
    const tke = ready.tencent.clusters.find((c) => c.status === "Running")
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      NO_COLOR: "1",
      KUBECRED_CACHE_DIR: join(home, "cache"),
      TENCENTCLOUD_SECRET_ID: ready.tencent.secretId,
      TENCENTCLOUD_SECRET_KEY: ready.tencent.secretKey,
      KUBECRED_TKE_ENDPOINT: ready.tencent.endpoint
    }
    const args = ["add", "tke", tke.clusterId, "--region", tke.region, "--kubeconfig", join(home, "config")]
    const run = spawnSync(process.execPath, [cli, ...args], { env, encoding: "utf8", timeout: 60_000 })
    if (run.status !== 0) throw new Error(`add exited ${run.status}: ${run.stderr.trim()}`)
    console.log(`dist/.cache: V8 code cache warmed (${run.stdout.trim()})`)
  } catch (error) {
    console.log(`warm-up failed: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    mock.kill("SIGTERM")
    rmSync(home, { recursive: true, force: true })
  }
}
