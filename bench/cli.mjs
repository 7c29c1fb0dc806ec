#!/usr/bin/env node
// bench/cli: start-up cost of the bundled kubecred against `node -e 0`, measured in the same run.
//
//   node bench/cli.mjs [--runs N] [--json]
//
// - `kubecred add tke <id>`: a new kubeconfig file each run; the mock cloud runs in another process
//   (`kubecred mock --ready-file`), credentials and endpoint come from the environment as for a real user.
// - `kubecred credential ack <id>` with a warm cache (the exec plugin path kubectl takes before every process).
// Runs are interleaved (node, add, credential, node, ...) so load from other processes hits all alike.
// Prints medians, ratios to node's own start and peak RSS (GNU time's %M when /usr/bin/time exists).
// Goals (the design's start-up goal): add at most 1.2x the floor row, credential at most 1.3x node. The floor is
// bench/floor, the least an Effect + @effect/cli program shaped like `add` can do (one command, one POST, a
// Schema decode, YAML, one write), built and loaded the same way (esbuild, V8 code cache). It never fails on a
// time: the exit code is 0 whatever the numbers.
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import * as esbuild from "esbuild"

const here = dirname(fileURLToPath(import.meta.url))
const cli = join(here, "..", "apps", "cli", "dist", "kubecred.cjs")
const args = process.argv.slice(2)
const runs = Number(args[args.indexOf("--runs") + 1]) || 21
const asJson = args.includes("--json")
const timeBin = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined

if (!fs.existsSync(cli)) {
  console.error("bench/cli: building apps/cli first")
  spawnSync(process.execPath, [join(here, "..", "apps", "cli", "scripts", "build.mjs")], { stdio: "inherit" })
}

const work = fs.mkdtempSync(join(tmpdir(), "kubecred-bench-"))

// The floor program, bundled like kubecred (minified CommonJS program, ESM entry, code cache beside it).
const floorDir = join(work, "floor")
await Promise.all([
  esbuild.build({
    entryPoints: [join(here, "floor", "program.ts")],
    outfile: join(floorDir, "program.cjs"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    logLevel: "warning"
  }),
  esbuild.build({
    entryPoints: [join(here, "floor", "entry.ts")],
    outfile: join(floorDir, "entry.mjs"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    minify: true,
    logLevel: "warning"
  })
])
const floor = join(floorDir, "entry.mjs")
const readyFile = join(work, "ready.json")
const mock = spawn(process.execPath, [cli, "mock", "--ready-file", readyFile], {
  stdio: ["ignore", "ignore", "inherit"]
})
const deadline = Date.now() + 30_000
while (!fs.existsSync(readyFile)) {
  if (Date.now() > deadline) throw new Error("mock cloud did not start")
  await new Promise((r) => setTimeout(r, 50))
}
const ready = JSON.parse(fs.readFileSync(readyFile, "utf8"))
const tke = ready.tencent.clusters.find((c) => c.status === "Running")
const ack = ready.alibaba.clusters.find((c) => c.state === "running")

const env = {
  PATH: process.env.PATH,
  HOME: work,
  NO_COLOR: "1",
  TENCENTCLOUD_SECRET_ID: ready.tencent.secretId,
  TENCENTCLOUD_SECRET_KEY: ready.tencent.secretKey,
  ALIBABA_CLOUD_ACCESS_KEY_ID: ready.alibaba.accessKeyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: ready.alibaba.accessKeySecret,
  KUBECRED_TKE_ENDPOINT: ready.tencent.endpoint,
  KUBECRED_ACK_ENDPOINT: ready.alibaba.endpoint,
  KUBECRED_CACHE_DIR: join(work, "cache"),
  KUBERNETES_EXEC_INFO: JSON.stringify({
    apiVersion: "client.authentication.k8s.io/v1",
    kind: "ExecCredential",
    spec: { interactive: false }
  })
}

const credentialArgs = [cli, "credential", "ack", ack.clusterId, "--region", ack.region]

/** One run: wall time (ms) measured here, peak RSS (KiB) from GNU time. */
const measure = (argv) => {
  const rssFile = join(work, "rss")
  const [command, commandArgs] = timeBin
    ? [timeBin, ["-f", "%M", "-o", rssFile, process.execPath, ...argv]]
    : [process.execPath, argv]
  const start = process.hrtime.bigint()
  const result = spawnSync(command, commandArgs, { env, encoding: "utf8" })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0) {
    throw new Error(`${argv.slice(1).join(" ")} exited ${result.status}: ${result.stderr.trim()}`)
  }
  const rss = timeBin ? Number(fs.readFileSync(rssFile, "utf8").trim().split("\n").pop()) : Number.NaN
  return { ms, rss }
}

let n = 0
/** `add tke <id>` into a new kubeconfig file, by kubecred or by the floor program. */
const addArgs = (entry) => [
  entry,
  "add",
  "tke",
  tke.clusterId,
  "--region",
  tke.region,
  "--kubeconfig",
  join(work, `kubeconfig-${n++}`)
]
const cases = {
  "node -e 0": () => ["-e", "0"],
  "kubecred add": () => addArgs(cli),
  "kubecred credential (warm)": () => credentialArgs,
  "floor (reference)": () => addArgs(floor)
}

try {
  measure(credentialArgs) // fills the cache
  for (let i = 0; i < 2; i++) for (const make of Object.values(cases)) measure(make()) // warm the OS caches
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]))
  for (let i = 0; i < runs; i++) for (const [name, make] of Object.entries(cases)) samples[name].push(measure(make()))

  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b)
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
  }
  const base = median(samples["node -e 0"].map((s) => s.ms))
  const floorMs = median(samples["floor (reference)"].map((s) => s.ms))
  // [the row the goal is relative to, its median, the most allowed]
  const goals = {
    "kubecred add": ["floor", floorMs, 1.2],
    "kubecred credential (warm)": ["node", base, 1.3]
  }
  const rows = Object.entries(samples).map(([name, xs]) => {
    const ms = median(xs.map((s) => s.ms))
    const goal = goals[name]
    return {
      name,
      medianMs: Math.round(ms * 10) / 10,
      ratio: Math.round((ms / base) * 100) / 100,
      peakRssMiB: Math.round((Math.max(...xs.map((s) => s.rss)) / 1024) * 10) / 10,
      medianRssMiB: Math.round((median(xs.map((s) => s.rss)) / 1024) * 10) / 10,
      goal:
        goal === undefined
          ? undefined
          : `${(ms / goal[1]).toFixed(2)}x ${goal[0]} (<= ${goal[2]}x ${ms / goal[1] <= goal[2] ? "met" : "NOT met"})`
    }
  })
  const load = fs.existsSync("/proc/loadavg") ? fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0] : "?"
  if (asJson) console.log(JSON.stringify({ runs, node: process.version, loadavg: load, rows }, null, 2))
  else {
    console.log(`bench/cli: ${runs} interleaved runs each, ${process.version}, load average ${load}`)
    console.log("case                          median ms   x node   peak RSS MiB (median)   goal")
    for (const r of rows) {
      console.log(
        `${r.name.padEnd(30)}${String(r.medianMs).padStart(9)}   ${r.ratio.toFixed(2).padStart(6)}   ${String(r.peakRssMiB).padStart(8)} (${r.medianRssMiB})       ${r.goal ?? ""}`
      )
    }
  }
} finally {
  mock.kill("SIGTERM")
  await new Promise((r) => mock.once("exit", r))
  fs.rmSync(work, { recursive: true, force: true })
}
