/**
 * End to end, the bundled CLI against the mock: sync and refresh keep what add set up (an exec user stays exec
 * with its args, a chosen name and namespace stay), both print a diff with --dry-run and JSON with -o json, and
 * `add --mock --exec` refuses.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import type { MockCloud } from "@kubecred/mock-cloud"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"
import { cliEnv, ensureBuilt, removeTempDirs, requireKubectl, run, runCli, startMock, tempDir } from "./helpers.js"

let mock: MockCloud
let tke: { region: string; clusterId: string }
let ack: { region: string; clusterId: string }

beforeAll(async () => {
  ensureBuilt()
  mock = await startMock()
  tke = mock.tencent.clusters.find((c) => c.status === "Running" && c.region === "ap-beijing")!
  ack = mock.alibaba.clusters.find((c) => c.state === "running" && c.region === "cn-shanghai")!
})

afterAll(async () => {
  await mock?.stop()
  removeTempDirs()
})

const userOf = (doc: any, context: string) => {
  const entry = doc.contexts.find((c: { name: string }) => c.name === context)
  return doc.users.find((u: { name: string }) => u.name === entry.context.user).user
}

describe("sync and refresh keep each context's credential kind and name", () => {
  it("after add tke X --exec, sync tke keeps the exec user (same args) and kubectl answers through it", async () => {
    requireKubectl()
    const home = tempDir("sync-exec")
    const kubeconfig = join(home, "config")
    const env = cliEnv(mock, home, { KUBECONFIG: kubeconfig })
    const context = `tencent-${tke.region}-${tke.clusterId}`
    const added = await runCli(["add", "tke", tke.clusterId, "--region", tke.region, "--exec"], env)
    expect(added.code).toBe(0)
    const before = userOf(parse(fs.readFileSync(kubeconfig, "utf8")), context)
    expect(before.exec.args).toEqual(expect.arrayContaining(["credential", "tencent", tke.clusterId]))

    const synced = await runCli(["sync", "tke", "--region", tke.region], env)
    expect(synced.stderr).toBe("")
    expect(synced.code).toBe(0)
    const doc = parse(fs.readFileSync(kubeconfig, "utf8"))
    const after = userOf(doc, context)
    expect(after.exec).toEqual(before.exec)
    expect(after["client-key-data"]).toBeUndefined()
    // the other running cluster of the region is new: embedded, named by the default template
    const names = doc.contexts.map((c: { name: string }) => c.name)
    const running = mock.tencent.clusters.filter((c) => c.region === tke.region && c.status === "Running")
    expect(names.sort()).toEqual(running.map((c) => `tencent-${c.region}-${c.clusterId}`).sort())
    const listed = JSON.parse((await runCli(["list", "tke", "--region", tke.region, "-o", "json"], env)).stdout)
    const name = listed.find((c: { clusterId: string }) => c.clusterId === tke.clusterId).name
    expect(
      doc.contexts.find((c: { name: string }) => c.name === context).context.extensions[0].extension
    ).toMatchObject({ credential: "exec", name })

    fs.rmSync(join(home, "cache"), { recursive: true, force: true })
    const ns = await run("kubectl", ["get", "ns", "--context", context], env)
    expect(ns.stderr).toBe("")
    expect(ns.code).toBe(0)
    expect(ns.stdout).toContain("kube-system")
  })

  it("a context added under its own name and namespace is updated in place, not duplicated", async () => {
    const home = tempDir("sync-name")
    const kubeconfig = join(home, "config")
    const env = cliEnv(mock, home, { KUBECONFIG: kubeconfig })
    const added = await runCli(
      ["add", "ack", ack.clusterId, "--region", ack.region, "--context", "shop", "-n", "web", "--ttl", "1h"],
      env
    )
    expect(added.code).toBe(0)
    const synced = await runCli(["sync", "ack", "--region", ack.region, "-o", "json"], env)
    expect(synced.stderr).toBe("")
    expect(synced.code).toBe(0)
    const report = JSON.parse(synced.stdout)
    expect(report).toMatchObject({ provider: "alibaba", dryRun: false, failed: [], pruned: [] })
    expect(report.contexts.map((c: { context: string }) => c.context)).toEqual(["shop"])
    const doc = parse(fs.readFileSync(kubeconfig, "utf8"))
    expect(doc.contexts).toHaveLength(1)
    expect(doc.contexts[0]).toMatchObject({
      name: "shop",
      context: { namespace: "web", cluster: "shop", user: "shop" }
    })
    expect(doc["current-context"]).toBe("shop")
  })

  it("sync --dry-run prints the diff and writes nothing; -o json carries it", async () => {
    const home = tempDir("sync-dry")
    const kubeconfig = join(home, "config")
    const env = cliEnv(mock, home, { KUBECONFIG: kubeconfig })
    await runCli(["add", "tke", tke.clusterId, "--region", tke.region], env)
    const before = fs.readFileSync(kubeconfig)
    const dry = await runCli(["sync", "tke", "--region", tke.region, "--dry-run"], env)
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/^\+.*name: tencent-ap-beijing-cls-/m)
    expect(dry.stdout).toContain("dry run: not written")
    expect(fs.readFileSync(kubeconfig).equals(before)).toBe(true)
    const json = JSON.parse(
      (await runCli(["sync", "tke", "--region", tke.region, "--dry-run", "-o", "json"], env)).stdout
    )
    expect(json.dryRun).toBe(true)
    expect(json.contexts.some((c: { diff: string }) => /^\+/m.test(c.diff))).toBe(true)
    expect(json.contexts.every((c: { written: boolean }) => c.written === false)).toBe(true)
    expect(fs.readFileSync(kubeconfig).equals(before)).toBe(true)
  })

  it("refresh --dry-run prints the diff and writes nothing; refresh -o json says what it did, keeping the name", async () => {
    const home = tempDir("refresh")
    const kubeconfig = join(home, "config")
    const env = cliEnv(mock, home, { KUBECONFIG: kubeconfig })
    await runCli(["add", "ack", ack.clusterId, "--region", ack.region, "--ttl", "1h", "--context", "short"], env)
    const before = fs.readFileSync(kubeconfig)
    const dry = await runCli(["refresh", "--expiring-within", "2h", "--dry-run"], env)
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/^[-+].*client-certificate-data/m)
    expect(dry.stdout).toContain('would refresh "short"')
    expect(fs.readFileSync(kubeconfig).equals(before)).toBe(true)
    const done = await runCli(["refresh", "--expiring-within", "2h", "-o", "json"], env)
    expect(done.code).toBe(0)
    expect(JSON.parse(done.stdout)).toMatchObject({
      dryRun: false,
      contexts: [{ context: "short", path: kubeconfig, action: "updated", written: true }]
    })
    expect(parse(fs.readFileSync(kubeconfig, "utf8")).contexts.map((c: { name: string }) => c.name)).toEqual(["short"])
  })

  it("add --mock --exec refuses, pointing at `kubecred mock`, and writes nothing", async () => {
    const home = tempDir("mock-exec")
    const out = await runCli(["add", "tke", tke.clusterId, "--region", tke.region, "--mock", "--exec"], {
      PATH: process.env.PATH,
      HOME: home,
      NO_COLOR: "1"
    })
    expect(out.code).toBe(2)
    expect(out.stdout).toBe("")
    expect(out.stderr).toMatch(/^kubecred: .*--mock-ready.* \(hint: .+\)\n$/)
    expect(out.stderr).toContain("kubecred mock --ready-file")
    expect(fs.existsSync(join(home, ".kube"))).toBe(false)
  })
})
