/**
 * End to end: regions come from the cloud. `--all-regions` asks TKE's DescribeRegions and lists each region,
 * warning about and skipping the finance regions the mock lists but refuses to the account; ACK's is one
 * account-wide listing. A provider that fails leaves a partial answer: exit 7. TKE rows carry endpoints.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { parse } from "yaml"
import { cliEnv, runCli, sharedMock, tempDir } from "./helpers.js"

const mock = sharedMock()

const warnings = (stderr: string) => stderr.split("\n").filter((line) => line !== "")

describe("--all-regions", () => {
  it("list tke --all-regions: every region TKE lists, the refused finance regions skipped with a warning", async () => {
    const home = tempDir("all-tke")
    const out = await runCli(["list", "tke", "--all-regions", "-o", "json"], cliEnv(mock(), home))
    expect(out.code).toBe(0)
    const lines = warnings(out.stderr)
    expect(lines).toHaveLength(2)
    for (const region of ["ap-shanghai-fsi", "ap-shenzhen-fsi"]) {
      expect(lines.some((l) => l.startsWith(`kubecred warning: skipping tencent region ${region}: `))).toBe(true)
    }
    const rows = JSON.parse(out.stdout) as Array<{ clusterId: string; region: string; endpoints: any }>
    const expected = mock().tencent.clusters.filter((c) => c.status !== "Deleted")
    expect(rows.map((r) => r.clusterId).sort()).toEqual(expected.map((c) => c.clusterId).sort())
    // TKE endpoints, from DescribeClusterEndpoints
    expect(rows.every((r) => r.endpoints.public === mock().apiserver)).toBe(true)
    expect(rows.every((r) => /^https:\/\/10\./.test(r.endpoints.private))).toBe(true)
    const table = await runCli(["list", "tke", "--region", "ap-beijing"], cliEnv(mock(), home))
    const body = table.stdout.trimEnd().split("\n").slice(1)
    expect(body.length).toBeGreaterThan(0)
    expect(body.every((row) => /public,private$/.test(row))).toBe(true)
  })

  it("list ack --all-regions is one account-wide page", async () => {
    const home = tempDir("all-ack")
    const before = mock().stats().requests["alibaba:DescribeClustersV1"] ?? 0
    const out = await runCli(["list", "ack", "--all-regions", "-o", "json"], cliEnv(mock(), home))
    expect(out.stderr).toBe("")
    expect(out.code).toBe(0)
    const rows = JSON.parse(out.stdout) as Array<{ clusterId: string }>
    const expected = mock().alibaba.clusters.filter((c) => c.state !== "deleted")
    expect(rows.map((r) => r.clusterId).sort()).toEqual(expected.map((c) => c.clusterId).sort())
    expect((mock().stats().requests["alibaba:DescribeClustersV1"] ?? 0) - before).toBe(1)
  })

  it("kubecred list --all-regions over both providers; one provider failing is a partial answer (exit 7)", async () => {
    const home = tempDir("all-both")
    const both = await runCli(["list", "--all-regions"], cliEnv(mock(), home))
    expect(both.code).toBe(0)
    expect(warnings(both.stderr).every((l) => l.startsWith("kubecred warning: skipping tencent region "))).toBe(true)
    const [header, ...rows] = both.stdout.trimEnd().split("\n")
    expect(header).toMatch(/^PROVIDER\s+ID\s+NAME\s+REGION\s+STATUS\s+VERSION\s+ENDPOINTS$/)
    expect(rows.some((r) => r.startsWith("tencent "))).toBe(true)
    expect(rows.some((r) => r.startsWith("alibaba "))).toBe(true)

    const half = await runCli(
      ["list", "--all-regions"],
      cliEnv(mock(), home, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: "wrong-secret-value" })
    )
    expect(half.code).toBe(7)
    expect(half.stdout.split("\n").some((r) => r.startsWith("tencent "))).toBe(true)
    expect(half.stdout).not.toContain("alibaba ")
    const errors = warnings(half.stderr).filter((l) => !l.startsWith("kubecred warning: "))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^kubecred: skipping alibaba: .+ \(hint: .+\)$/)
    expect(half.stderr).not.toContain("wrong-secret-value")

    // a cloud with no credentials at all is not configured here: a warning, and the answer is whole
    const one = await runCli(
      ["list", "--all-regions"],
      cliEnv(mock(), home, { ALIBABA_CLOUD_ACCESS_KEY_ID: undefined, ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined })
    )
    expect(one.code).toBe(0)
    expect(warnings(one.stderr).some((l) => l.startsWith("kubecred warning: skipping alibaba: "))).toBe(true)
    expect(warnings(one.stderr).every((l) => l.startsWith("kubecred warning: "))).toBe(true)
  })

  it("sync tke --all-regions adds every running cluster, skipping the refused regions; --prune keeps what it did not list", async () => {
    const home = tempDir("all-sync")
    const kubeconfig = join(home, "config")
    const env = cliEnv(mock(), home, { KUBECONFIG: kubeconfig })
    const out = await runCli(["sync", "tke", "--all-regions", "--prune", "-o", "json"], env)
    expect(out.code).toBe(0)
    expect(warnings(out.stderr).filter((l) => l.startsWith("kubecred warning: skipping tencent region"))).toHaveLength(
      2
    )
    const report = JSON.parse(out.stdout)
    expect(report.skippedRegions.sort()).toEqual(["ap-shanghai-fsi", "ap-shenzhen-fsi"])
    const running = mock().tencent.clusters.filter((c) => c.status === "Running")
    const doc = parse(fs.readFileSync(kubeconfig, "utf8"))
    expect(doc.contexts.map((c: { name: string }) => c.name).sort()).toEqual(
      running.map((c) => `tencent-${c.region}-${c.clusterId}`).sort()
    )
    // two contexts for clusters that are gone: one in a region that answered, one in a refused region
    const ghost = (name: string, region: string, clusterId: string) => {
      const copy = structuredClone(doc.contexts[0])
      copy.name = name
      Object.assign(copy.context.extensions[0].extension, { region, clusterId })
      return copy
    }
    doc.contexts.push(
      ghost("gone-listed", "ap-beijing", "cls-zzzzzzzz"),
      ghost("gone-fsi", "ap-shanghai-fsi", "cls-yyyyyyyy")
    )
    fs.writeFileSync(kubeconfig, JSON.stringify(doc), { mode: 0o600 })
    const pruned = await runCli(["sync", "tke", "--all-regions", "--prune", "-o", "json"], env)
    expect(pruned.code).toBe(0)
    expect(JSON.parse(pruned.stdout).pruned).toEqual(["gone-listed"])
    const names = parse(fs.readFileSync(kubeconfig, "utf8")).contexts.map((c: { name: string }) => c.name)
    expect(names).toContain("gone-fsi")
    expect(names).not.toContain("gone-listed")
  })
})
