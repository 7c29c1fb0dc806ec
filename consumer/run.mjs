// The consumer test (`pnpm run test:consumer`, part of `pnpm run ci`): kubecred used the way its users get it.
//  1. `pnpm run pack` (one tarball per publishable package in packs/), publint --strict and attw --profile node16
//     on each, and no published .d.ts imports an official SDK's types;
//  2. verdaccio on 127.0.0.1 (consumer/registry.mjs), the tarballs published to it (it proxies nothing);
//  3. in a scratch project outside the workspace, plain npm installs the libraries; every public module is
//     imported from ESM and required from CommonJS; a strict consumer type-checks under moduleResolution
//     nodenext and bundler; scratch/program.ts runs (mock, both clouds, Promise and Effect APIs, kubectl);
//  4. `npm i -g kubecred` into a temporary prefix: its footprint, then `kubecred mock`, `add`, `add --exec`
//     (kubectl through the plugin) and `get --transport sdk`.
// The tools (verdaccio, publint, attw, typescript) come from consumer/package-lock.json, installed with npm ci.
import { execFile, execFileSync, spawn } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const here = import.meta.dirname
const root = join(here, "..")
const packs = join(root, "packs")
const bin = (name) => join(here, "node_modules", ".bin", name)
const started = Date.now()
const step = (what) => console.log(`\n[consumer ${((Date.now() - started) / 1000).toFixed(0)}s] ${what}`)

/** npm and friends without the npm_* / pnpm settings of the `pnpm run` that started us. */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_|PNPM_|INIT_CWD$)/i.test(k))
)
const run = (command, args, options = {}) => {
  try {
    return execFileSync(command, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
      ...options,
      env: { ...cleanEnv, ...options.env }
    })
  } catch (error) {
    console.error(`${command} ${args.join(" ")} failed (${error.status}):\n${error.stdout ?? ""}${error.stderr ?? ""}`)
    throw new Error(`consumer test: ${command} ${args[0]} failed`)
  }
}

/** The same, asynchronously: steps that wait on the network or on one core run side by side. */
const runAsync = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const env = { ...cleanEnv, ...options.env }
    execFile(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options, env }, (error, out, err) => {
      if (!error) return resolve(out)
      console.error(`${command} ${args.join(" ")} failed (${error.code}):\n${out}${err}`)
      reject(new Error(`consumer test: ${command} ${args[0]} failed`))
    })
  })

// ---- tools
const lock = fs.readFileSync(join(here, "package-lock.json"))
const stamp = join(here, "node_modules", ".kubecred-lock-sha256")
const lockHash = createHash("sha256").update(lock).digest("hex")
if (!fs.existsSync(stamp) || fs.readFileSync(stamp, "utf8") !== lockHash) {
  step("npm ci in consumer/ (verdaccio, publint, attw, typescript)")
  run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: here })
  fs.writeFileSync(stamp, lockHash)
}

// ---- 1. pack and lint the tarballs
step("pnpm run pack")
process.stdout.write(run("node", [join(root, "scripts", "pack.mjs")], { cwd: root, env: process.env }))
const tarballs = fs.readdirSync(packs).map((f) => join(packs, f))
const work = fs.mkdtempSync(join(tmpdir(), "kubecred-consumer-"))
const contents = Object.fromEntries(
  tarballs.map((t) => {
    const dir = join(work, "unpacked", t.split("/").pop())
    fs.mkdirSync(dir, { recursive: true })
    run("tar", ["xzf", t, "-C", dir])
    const pkg = join(dir, "package")
    return [t, { dir: pkg, manifest: JSON.parse(fs.readFileSync(join(pkg, "package.json"), "utf8")) }]
  })
)
const walk = (dir) => fs.readdirSync(dir, { recursive: true }).filter((f) => fs.statSync(join(dir, f)).isFile())

/** The public modules of a library tarball: its dist/esm files outside internal/ (the `./*` export). */
const publicModules = ({ dir, manifest }) =>
  manifest.exports?.["./*"] === undefined
    ? []
    : walk(join(dir, "dist", "esm"))
        .filter((f) => f.endsWith(".js") && !f.startsWith("internal/") && f !== "bin.js")
        .map((f) => f.replace(/\.js$/, ""))
        .map((f) => (f === "index" ? manifest.name : `${manifest.name}/${f}`))
const libraries = Object.values(contents).filter((c) => c.manifest.exports?.["./*"] !== undefined)
const modules = libraries.flatMap(publicModules).sort()

const sdkType = /(from\s+|import\(\s*|require\(\s*|reference\s+types=)["'](tencentcloud-sdk-|@alicloud\/|@darabonba\/)/
/** publint --strict, attw --profile node16 (it exits non-zero on a problem; node10 is outside that profile), and
 * no .d.ts importing an official SDK. Returns the line to print. */
const lint = async (tarball, c) => {
  const name = tarball.split("/").pop()
  const entries = publicModules(c).map((m) => (m === c.manifest.name ? "." : `.${m.slice(c.manifest.name.length)}`))
  const [publint, attw] = await Promise.all([
    runAsync(bin("publint"), ["run", tarball, "--strict"]),
    runAsync(bin("attw"), [
      tarball,
      ...["--profile", "node16", "--format", "ascii", "--no-emoji", "--no-color"],
      ...(entries.length > 0 ? ["--include-entrypoints", ...entries] : [])
    ])
  ])
  if (!/All good!/.test(publint)) throw new Error(`publint ${name}:\n${publint}`)
  const verdict = /does not contain types/.test(attw) ? "no types (bin only)" : "no problems"
  const leaks = walk(c.dir)
    .filter((f) => f.endsWith(".d.ts"))
    .filter((f) => sdkType.test(fs.readFileSync(join(c.dir, f), "utf8")))
  if (leaks.length > 0) throw new Error(`${name}: .d.ts files that import an official SDK: ${leaks.join(", ")}`)
  const maps = walk(c.dir).filter((f) => f.endsWith(".map"))
  for (const map of maps)
    for (const source of JSON.parse(fs.readFileSync(join(c.dir, map), "utf8")).sources)
      if (!fs.existsSync(join(c.dir, map, "..", source)))
        throw new Error(`${name}: ${map} points at ${source}, not shipped`)
  const unwanted = walk(c.dir).filter((f) => /(^|\/)(test|\.turbo)\/|tsconfig|vitest\.config|\.log$/.test(f))
  if (unwanted.length > 0) throw new Error(`${name}: ships ${unwanted.join(", ")}`)
  const kib = (fs.statSync(tarball).size / 1024).toFixed(1)
  return `${name}: ${kib} KiB, publint: all good, attw: ${verdict} (${entries.length} entry points), no SDK type, ${maps.length} source maps into shipped sources`
}
/** One tarball after the other (two tools at a time on a two-core machine), while npm works. */
const lintAll = async () => {
  const lines = []
  for (const [tarball, c] of Object.entries(contents)) lines.push(await lint(tarball, c))
  return lines
}

// ---- 2. the registry
step("verdaccio 6.8.0 on 127.0.0.1; publint, attw and the .d.ts check meanwhile")
const registryDir = join(work, "registry")
fs.mkdirSync(registryDir)
const registry = spawn(process.execPath, [join(here, "registry.mjs"), registryDir], {
  stdio: ["ignore", "pipe", "inherit"]
})
const children = [registry]
const stopAll = () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM")
}
process.on("exit", stopAll)
try {
  const port = await new Promise((resolve, reject) => {
    registry.stdout.once("data", (d) => resolve(Number(String(d).trim())))
    registry.once("exit", (code) => reject(new Error(`verdaccio exited (${code})`)))
  })
  const url = `http://127.0.0.1:${port}/`
  const user = await fetch(`${url}-/user/org.couchdb.user:ci`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "ci", password: `ci-${process.pid}-${Date.now()}` })
  }).then((r) => r.json())
  const npmrc = join(work, "npmrc")
  // @kubecred/* from verdaccio, the rest from the registry npm already uses (as for a user of a private scope);
  // the CLI is installed with --registry pointing at verdaccio alone, which proxies nothing: no dependency.
  fs.writeFileSync(npmrc, `@kubecred:registry=${url}\n//127.0.0.1:${port}/:_authToken=${user.token}\n`)
  const npmEnv = {
    npm_config_userconfig: npmrc,
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false"
  }
  const npm = (args, cwd) => runAsync("npm", args, { cwd, env: npmEnv })
  const linted = lintAll()
  linted.catch(() => {})
  await Promise.all(tarballs.map((t) => npm(["publish", t, "--tag", "latest", "--registry", url], work)))
  step(`published ${tarballs.length} packages to ${url}; npm install of the libraries in a scratch project`)

  // ---- 3. a library consumer
  const scratch = join(work, "scratch")
  fs.mkdirSync(scratch)
  fs.writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }))
  // As the README says: the libraries and effect; npm adds the @effect/* peers itself.
  const effectRange = libraries[0].manifest.peerDependencies.effect
  const typesNode = JSON.parse(fs.readFileSync(join(here, "package.json"), "utf8")).devDependencies["@types/node"]
  await npm(
    [
      "install",
      ...libraries.map((c) => `${c.manifest.name}@${c.manifest.version}`),
      `effect@${effectRange}`,
      `@types/node@${typesNode}`,
      "--prefer-offline"
    ],
    scratch
  )
  const effects = run("npm", ["ls", "effect", "--all", "--parseable"], { cwd: scratch }).trim().split("\n")
  if (effects.length !== 1) throw new Error(`more than one copy of effect installed:\n${effects.join("\n")}`)
  const platform = run("npm", ["ls", "@effect/platform-node", "--parseable"], { cwd: scratch }).trim()
  if (platform === "") throw new Error("npm did not install the @effect/platform-node peer")
  console.log(`installed ${libraries.length} libraries, effect and (by npm) the @effect/* peers; one copy of effect`)
  for (const line of await linted) console.log(line)

  step(`import from ESM and require from CommonJS: ${modules.length} public modules`)
  fs.writeFileSync(
    join(scratch, "all-esm.mjs"),
    `const modules = ${JSON.stringify(modules)}\nlet values = 0\nfor (const m of modules) if (Object.keys(await import(m)).length > 0) values++\nconsole.log("ESM: " + modules.length + " modules imported (" + values + " with values, the rest types only)")\n`
  )
  fs.writeFileSync(
    join(scratch, "all-cjs.cjs"),
    `const modules = ${JSON.stringify(modules)}\nlet values = 0\nfor (const m of modules) if (Object.keys(require(m)).length > 0) values++\nconsole.log("CommonJS: " + modules.length + " modules required (" + values + " with values)")\n`
  )
  process.stdout.write(run("node", ["all-esm.mjs"], { cwd: scratch }))
  process.stdout.write(run("node", ["all-cjs.cjs"], { cwd: scratch }))

  step("a strict TypeScript consumer (skipLibCheck false): tsc under nodenext and bundler starts")
  const alias = (m) => `M_${m.replace(/[^A-Za-z0-9]/g, "_")}`
  fs.writeFileSync(
    join(scratch, "all.ts"),
    `${modules.map((m) => `import * as ${alias(m)} from "${m}"`).join("\n")}\nexport const all = [${modules.map(alias).join(", ")}]\n`
  )
  fs.writeFileSync(
    join(scratch, "all-require.cts"),
    `${modules.map((m) => `import ${alias(m)} = require("${m}")`).join("\n")}\nexport const all = [${modules.map(alias).join(", ")}]\n`
  )
  fs.copyFileSync(join(here, "scratch", "program.ts"), join(scratch, "program.ts"))
  const strict = { strict: true, skipLibCheck: false, target: "ES2022", lib: ["ES2022"], types: ["node"] }
  const tsconfig = (name, compilerOptions, include) =>
    fs.writeFileSync(
      join(scratch, name),
      JSON.stringify({ compilerOptions: { ...strict, ...compilerOptions }, include })
    )
  tsconfig("tsconfig.nodenext.json", { module: "NodeNext", moduleResolution: "NodeNext", outDir: "out" }, [
    "all.ts",
    "all-require.cts",
    "program.ts"
  ])
  tsconfig("tsconfig.bundler.json", { module: "ESNext", moduleResolution: "Bundler", noEmit: true }, [
    "all.ts",
    "program.ts"
  ])
  const tsc = join(here, "node_modules", "typescript", "bin", "tsc")
  // Both checks run while the program and the CLI do (they take a core each); awaited at the end.
  const typechecks = Promise.all(
    ["tsconfig.nodenext.json", "tsconfig.bundler.json"].map((p) => runAsync("node", [tsc, "-p", p], { cwd: scratch }))
  )
  typechecks.catch(() => {})

  step("program.ts: start() from @kubecred/mock-cloud, both clouds, Promise and Effect APIs, kubectl")
  await runAsync("node", [tsc, "-p", "tsconfig.nodenext.json", "--noCheck", "--outDir", "run"], { cwd: scratch })
  const home = join(work, "home")
  fs.mkdirSync(home)
  const userEnv = { HOME: home, KUBECONFIG: join(home, "kubeconfig"), NO_COLOR: "1" }
  process.stdout.write(await runAsync("node", [join("run", "program.js")], { cwd: scratch, env: userEnv }))

  // ---- 4. the CLI user
  step("npm i -g kubecred into a temporary prefix")
  const prefix = join(work, "prefix")
  await npm(["install", "--global", "--prefix", prefix, "--registry", url, "kubecred"], work)
  const footprint = measure(join(prefix, "lib", "node_modules"))
  console.log(
    `kubecred install footprint: ${footprint.packages} package(s), ${(footprint.bytes / 2 ** 20).toFixed(2)} MiB, ` +
      `${footprint.scripts.length} install script(s)${footprint.scripts.length ? ` (${footprint.scripts})` : ""}`
  )
  if (footprint.packages > 5 || footprint.bytes > 15 * 2 ** 20 || footprint.scripts.length > 0)
    throw new Error("the CLI's install footprint is over the goal (5 packages, 15 MiB, no install script)")

  step("the installed kubecred against `kubecred mock`")
  const kubecredBin = join(prefix, "bin", "kubecred")
  const cliHome = join(work, "cli-home")
  fs.mkdirSync(cliHome)
  const ready = join(cliHome, "mock-ready.json")
  const cliEnv = {
    ...cleanEnv,
    PATH: `${join(prefix, "bin")}:${process.env.PATH}`,
    HOME: cliHome,
    KUBECONFIG: join(cliHome, "kubeconfig"),
    KUBECRED_MOCK_READY: ready,
    KUBECRED_CACHE_DIR: join(cliHome, "cache"),
    NO_COLOR: "1"
  }
  const mock = spawn(kubecredBin, ["mock", "--ready-file", ready], {
    env: cliEnv,
    stdio: ["ignore", "ignore", "inherit"]
  })
  children.push(mock)
  const deadline = Date.now() + 60_000
  while (!fs.existsSync(ready)) {
    if (mock.exitCode !== null) throw new Error("kubecred mock exited")
    if (Date.now() > deadline) throw new Error("kubecred mock did not start within 60 s")
    await new Promise((r) => setTimeout(r, 50))
  }
  const info = JSON.parse(fs.readFileSync(ready, "utf8"))
  const tke = info.tencent.clusters.find((c) => c.status === "Running")
  const ack = info.alibaba.clusters.find((c) => c.state === "running")
  const kubecred = (...args) => {
    const out = run(kubecredBin, args, { env: cliEnv })
    console.log(`$ kubecred ${args.join(" ")}\n${out.trim().split("\n").slice(0, 3).join("\n")}`)
    return out
  }
  const kubectl = (context) => {
    const out = run("kubectl", ["get", "namespaces", "--context", context, "-o", "name"], { env: cliEnv })
    if (!out.includes("namespace/default")) throw new Error(`kubectl --context ${context}: ${out}`)
    console.log(`$ kubectl get namespaces --context ${context}\n${out.trim().split("\n").join(" ")}`)
  }
  kubecred("list", "tke", "--mock", "--region", "ap-guangzhou") // the README's "try it" command
  kubecred("add", "tke", tke.clusterId, "--region", tke.region)
  kubectl(`tencent-${tke.region}-${tke.clusterId}`)
  kubecred("add", "ack", ack.clusterId, "--region", ack.region, "--exec", "--ttl", "1h")
  const config = fs.readFileSync(cliEnv.KUBECONFIG, "utf8")
  if (!config.includes(kubecredBin) || !config.includes("credential"))
    throw new Error("add --exec did not write a user that runs the installed kubecred credential")
  kubectl(`alibaba-${ack.region}-${ack.clusterId}`)
  for (const [provider, cluster] of [
    ["tke", tke],
    ["ack", ack]
  ]) {
    const out = kubecred("get", provider, cluster.clusterId, "--region", cluster.region, "--transport", "sdk")
    if (!out.includes(info.apiserver)) throw new Error(`get ${provider} --transport sdk: not the mock's kubeconfig`)
  }
  await typechecks
  step(`type-checked: ${modules.length} modules (import and require) and program.ts, nodenext and bundler`)
  step(
    `passed: ${tarballs.length} tarballs, ${modules.length} public modules; CLI: ${footprint.packages} package(s), ` +
      `${(footprint.bytes / 2 ** 20).toFixed(2)} MiB, ${footprint.scripts.length} install script(s)`
  )
} finally {
  stopAll()
  await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once("exit", r)))))
  fs.rmSync(work, { recursive: true, force: true })
}

/** Packages under a node_modules tree (nested ones too), their bytes on disk, and their install scripts. */
function measure(nodeModules) {
  const result = { packages: 0, bytes: 0, scripts: [] }
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir)) {
      if (entry.startsWith(".")) continue
      if (entry.startsWith("@")) {
        visit(join(dir, entry))
        continue
      }
      const pkg = join(dir, entry)
      const manifest = JSON.parse(fs.readFileSync(join(pkg, "package.json"), "utf8"))
      result.packages += 1
      const scripts = ["preinstall", "install", "postinstall"].filter((s) => manifest.scripts?.[s])
      if (scripts.length > 0 || fs.existsSync(join(pkg, "binding.gyp")))
        result.scripts.push(`${manifest.name}: ${scripts.join(",") || "binding.gyp"}`)
      if (fs.existsSync(join(pkg, "node_modules"))) visit(join(pkg, "node_modules"))
    }
  }
  visit(nodeModules)
  for (const f of walk(nodeModules)) result.bytes += fs.statSync(join(nodeModules, f)).size
  return result
}
