// bench/merge: add one context to a generated kubeconfig of 5,000 contexts (about 29 MB) with kubecred,
// versus `kubectl config set-context` on the same file. Prints both medians and the ratio (goal: 0.1 or less).
// It prints; it never fails on a time.
//
//   node bench/merge.mjs [runs=5] [contexts=5000]
//
// kubecred runs as a real process (the kubeconfig engine's test writer, bundled with esbuild), so both sides
// pay their start-up, read, parse, lock, write and fsync.
import { execFileSync, spawnSync } from "node:child_process"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import { build } from "esbuild"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const engine = path.join(here, "..", "packages", "kubeconfig")
const runs = Number(process.argv[2] ?? 5)
const contexts = Number(process.argv[3] ?? 5000)

const work = fs.mkdtempSync(path.join(os.tmpdir(), "kubecred-bench-merge-"))
const writer = path.join(work, "writer.mjs")
await build({
  entryPoints: [path.join(engine, "test", "fixtures", "writer.ts")],
  outfile: writer,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  mainFields: ["module", "main"],
  banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
  logLevel: "error"
})

// A kubeconfig as kubectl writes it (keys and entries sorted), with realistic key material sizes:
// CA and client certificate about 1.1 KB of DER each, an RSA-2048 key about 1.9 KB of PEM.
const b64 = (bytes) => crypto.randomBytes(bytes).toString("base64")
const pad = (n) => String(n).padStart(5, "0")
const generate = () => {
  const clusters = []
  const ctxs = []
  const users = []
  for (let n = 0; n < contexts; n++) {
    const name = `cluster-${pad(n)}`
    clusters.push(
      `- cluster:\n    certificate-authority-data: ${b64(1100)}\n    server: https://10.${n >> 16}.${(n >> 8) & 255}.${n & 255}:6443\n  name: ${name}\n`
    )
    ctxs.push(`- context:\n    cluster: ${name}\n    user: user-${pad(n)}\n  name: context-${pad(n)}\n`)
    users.push(
      `- name: user-${pad(n)}\n  user:\n    client-certificate-data: ${b64(1100)}\n    client-key-data: ${b64(1900)}\n`
    )
  }
  return `apiVersion: v1\nclusters:\n${clusters.join("")}contexts:\n${ctxs.join("")}current-context: context-00000\nkind: Config\npreferences: {}\nusers:\n${users.join("")}`
}

const original = path.join(work, "original.yaml")
fs.writeFileSync(original, generate(), { mode: 0o600 })
const size = fs.statSync(original).size
const target = path.join(work, "config")

const timed = (command, args) => {
  fs.copyFileSync(original, target)
  fs.chmodSync(target, 0o600)
  const start = process.hrtime.bigint()
  const result = spawnSync(command, args, { env: { ...process.env, KUBECONFIG: "" }, encoding: "utf8" })
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`)
  return seconds
}

const kubecredRun = () => timed(process.execPath, [writer, target, "cls-bench0001"])
const kubectlRun = () =>
  timed("kubectl", [
    "--kubeconfig",
    target,
    "config",
    "set-context",
    "bench",
    "--cluster=cluster-00001",
    "--user=user-00001"
  ])

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

console.log(`kubeconfig: ${contexts} contexts, ${(size / 1e6).toFixed(1)} MB; ${runs} runs each, interleaved`)
kubecredRun() // warm the page cache and the disk
const ours = []
const theirs = []
for (let n = 0; n < runs; n++) {
  ours.push(kubecredRun())
  theirs.push(kubectlRun())
}

// The file kubecred wrote is one kubectl reads, with one context more.
kubecredRun()
const names = execFileSync("kubectl", ["--kubeconfig", target, "config", "get-contexts", "-o", "name"], {
  encoding: "utf8",
  env: { ...process.env, KUBECONFIG: "" },
  maxBuffer: 64 * 1024 * 1024
})
  .trim()
  .split("\n")
const format = (values) => values.map((value) => value.toFixed(3)).join(" ")
console.log(`kubecred add:               median ${median(ours).toFixed(3)} s   (${format(ours)})`)
console.log(`kubectl config set-context: median ${median(theirs).toFixed(3)} s   (${format(theirs)})`)
console.log(`ratio kubecred/kubectl:     ${(median(ours) / median(theirs)).toFixed(3)}   (goal <= 0.1)`)
console.log(`kubectl reads kubecred's file: ${names.length} contexts (expected ${contexts + 1})`)
fs.rmSync(work, { recursive: true, force: true })
