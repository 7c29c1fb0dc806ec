/** The bundled `kubecred-mock` bin: flags, an atomic ready file, foreground until SIGTERM, no secrets in its output. */
import { type ChildProcess, execFile, spawn } from "node:child_process"
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, beforeAll, expect, it } from "vitest"
import * as Clients from "./support/clients.js"

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const bin = join(root, "dist", "bin.js")
let dir: string

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ["build.mjs"], { cwd: root })
  dir = await mkdtemp(join(tmpdir(), "kubecred-mock-bin-"))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const waitForFile = async (file: string, child: ChildProcess) => {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bin exited with ${child.exitCode}`)
    try {
      return await readFile(file, "utf8")
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : null))))

it("runs with --fixtures and --ready-file, answers the SDKs, stops on SIGTERM", async () => {
  const fixtures = join(dir, "fixtures.json")
  await writeFile(
    fixtures,
    JSON.stringify({
      tencent: { clusters: [{ region: "ap-shanghai", name: "solo", status: "Running" }] },
      alibaba: { clusters: [{ region: "cn-shanghai", name: "solo", state: "running" }] }
    })
  )
  const readyFile = join(dir, "ready.json")
  const child = spawn(process.execPath, [bin, "--port", "0", "--fixtures", fixtures, "--ready-file", readyFile], {
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout!.on("data", (chunk) => (output += chunk))
  child.stderr!.on("data", (chunk) => (output += chunk))
  const done = exited(child)
  try {
    const ready = JSON.parse(await waitForFile(readyFile, child))
    expect(ready.tencent.clusters).toHaveLength(1)
    expect(ready.tencent.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(((await stat(readyFile)).mode & 0o777).toString(8)).toBe("600")
    const list = await Clients.tencent(ready, { region: "ap-shanghai" }).DescribeClusters({})
    expect(list.Clusters!.map((c) => c.ClusterName)).toEqual(["solo"])
    const ack = await Clients.alibaba(ready).describeClustersV1(new Clients.Cs.DescribeClustersV1Request({}))
    expect(ack.body!.clusters!.map((c) => c.name)).toEqual(["solo"])
    expect(output).toContain(ready.apiserver)
    for (const secret of [ready.tencent.secretKey, ready.tencent.sts.token, ready.alibaba.accessKeySecret]) {
      expect(output).not.toContain(secret)
    }
  } finally {
    child.kill("SIGTERM")
  }
  expect(await done).not.toBeNull()
  expect(
    child.exitCode === 0 || child.signalCode === "SIGTERM" || child.exitCode === 130 || child.exitCode === 143
  ).toBe(true)
})

it("rejects a bad port", async () => {
  const child = spawn(process.execPath, [bin, "--port", "not-a-port"], { stdio: "ignore" })
  expect(await exited(child)).not.toBe(0)
})
