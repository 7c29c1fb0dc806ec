/**
 * End to end: `--context-template` names contexts from {provider} {region} {id} {name}, the cluster's name is
 * recorded in the provenance and shown by `status`, whose default table fits 120 columns; `-o wide` shows all.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { parse } from "yaml"
import { cliEnv, runCli, sharedMock, tempDir } from "./helpers.js"

const mock = sharedMock()

const names = (file: string) =>
  (parse(fs.readFileSync(file, "utf8")).contexts as Array<{ name: string }>).map((c) => c.name)

describe("--context-template and the cluster's name", () => {
  it("add and sync name contexts from the template; the name is in the provenance and in status", async () => {
    const home = tempDir("template")
    const kubeconfig = join(home, "config")
    const env = cliEnv(mock(), home, { KUBECONFIG: kubeconfig })
    const listed = JSON.parse((await runCli(["list", "tke", "--region", "ap-beijing", "-o", "json"], env)).stdout)
    const edge = listed.find((c: { name: string }) => c.name === "edge-1")
    const added = await runCli(
      ["add", "tke", edge.clusterId, "--region", "ap-beijing", "--context-template", "{provider}-{name}"],
      env
    )
    expect(added.code).toBe(0)
    expect(added.stdout).toContain('context "tencent-edge-1"')
    const doc = parse(fs.readFileSync(kubeconfig, "utf8"))
    expect(doc.contexts[0].context.extensions[0].extension).toMatchObject({ clusterId: edge.clusterId, name: "edge-1" })
    const again = await runCli(
      ["add", "tke", edge.clusterId, "--region", "ap-beijing", "--context-template", "{provider}-{name}", "-o", "json"],
      env
    )
    expect(JSON.parse(again.stdout)).toMatchObject({ context: "tencent-edge-1", clusterName: "edge-1" })

    const synced = await runCli(
      ["sync", "ack", "--region", "cn-hangzhou", "--filter", "name=dev-*", "--context-template", "ack-{region}-{name}"],
      env
    )
    expect(synced.code).toBe(0)
    const devs = mock().alibaba.clusters.filter((c) => c.region === "cn-hangzhou" && c.state === "running").length
    expect(devs).toBeGreaterThan(5)
    const all = names(kubeconfig)
    expect(all).toContain("tencent-edge-1")
    expect(all.filter((n) => /^ack-cn-hangzhou-dev-\d+$/.test(n)).length).toBe(6)
    // {id}: the default's parts under another order
    const byId = await runCli(
      [
        "add",
        "ack",
        mock().alibaba.clusters.find((c) => c.region === "cn-beijing")!.clusterId,
        "--region",
        "cn-beijing"
      ],
      { ...env, KUBECONFIG: join(home, "other") }
    )
    expect(byId.code).toBe(0)

    const status = await runCli(["status", "-o", "json"], env)
    const rows = JSON.parse(status.stdout) as Array<{ name: string; clusterName: string | null }>
    expect(rows.find((r) => r.name === "tencent-edge-1")!.clusterName).toBe("edge-1")
    expect(rows.find((r) => r.name === "ack-cn-hangzhou-dev-1")!.clusterName).toBe("dev-1")
  })

  it("an explicit template renames existing contexts on sync and refresh, keeping exec users and current-context", async () => {
    const home = tempDir("rename")
    const kubeconfig = join(home, "config")
    const env = cliEnv(mock(), home, { KUBECONFIG: kubeconfig })
    const edge = mock().tencent.clusters.find((c) => c.region === "ap-beijing" && c.status === "Running")!
    expect((await runCli(["add", "tke", edge.clusterId, "--region", "ap-beijing", "--exec"], env)).code).toBe(0)
    const user = (doc: any, name: string) =>
      doc.users.find((u: { name: string }) => u.name === doc.contexts.find((c: any) => c.name === name).context.user)
        .user
    const exec = user(parse(fs.readFileSync(kubeconfig, "utf8")), `tencent-ap-beijing-${edge.clusterId}`).exec

    const synced = await runCli(["sync", "tke", "--region", "ap-beijing", "--context-template", "tke-{name}"], env)
    expect(synced.code).toBe(0)
    const doc = parse(fs.readFileSync(kubeconfig, "utf8"))
    const renamed = doc.contexts.find((c: any) => c.context.extensions[0].extension.clusterId === edge.clusterId).name
    expect(renamed).toMatch(/^tke-/)
    expect(synced.stdout).toContain(`renamed context "tencent-ap-beijing-${edge.clusterId}" to "${renamed}"`)
    expect(names(kubeconfig).every((n) => n.startsWith("tke-"))).toBe(true)
    expect(user(doc, renamed).exec).toEqual(exec)
    expect(doc["current-context"]).toBe(renamed)

    // two clusters the template names alike: refused before any kubeconfig is fetched
    const before = mock().stats().requests["tencent:DescribeClusterKubeconfig"] ?? 0
    const clash = await runCli(
      ["sync", "tke", "--region", "ap-beijing", "--region", "ap-shanghai", "--context-template", "{name}"],
      env
    )
    expect(clash.code).toBe(2)
    expect(clash.stderr).toMatch(/^kubecred: context-template: .*"prod-web-1".*\{region\} or \{id\}.*\n$/)
    expect(mock().stats().requests["tencent:DescribeClusterKubeconfig"] ?? 0).toBe(before)

    // refresh renames too (ACK, a short-lived kubeconfig)
    const ack = mock().alibaba.clusters.find((c) => c.region === "cn-shanghai" && c.state === "running")!
    await runCli(["add", "ack", ack.clusterId, "--region", ack.region, "--ttl", "1h", "--no-set-current"], env)
    const refreshed = await runCli(["refresh", "--expiring-within", "2h", "--context-template", "ack-{name}"], env)
    expect(refreshed.code).toBe(0)
    expect(refreshed.stdout).toContain(`(renamed from "alibaba-${ack.region}-${ack.clusterId}")`)
    expect(names(kubeconfig)).toContain("ack-prod-web-1")
    expect(names(kubeconfig)).not.toContain(`alibaba-${ack.region}-${ack.clusterId}`)
    expect(parse(fs.readFileSync(kubeconfig, "utf8"))["current-context"]).toBe(renamed)
  })

  it("a template with an unknown placeholder is refused before anything is sent (exit 2)", async () => {
    const home = tempDir("template-bad")
    const before = mock().stats().requests["tencent:DescribeClusterKubeconfig"] ?? 0
    const tke = mock().tencent.clusters.find((c) => c.status === "Running")!
    const out = await runCli(
      ["add", "tke", tke.clusterId, "--region", tke.region, "--context-template", "{cluster}"],
      cliEnv(mock(), home)
    )
    expect(out.code).toBe(2)
    expect(out.stderr).toMatch(/^kubecred: .*\{cluster\}.* \(hint: .+\)\n$/)
    expect(mock().stats().requests["tencent:DescribeClusterKubeconfig"] ?? 0).toBe(before)
  })

  it("status fits 120 columns with kubecred's long default names; -o wide shows ids, provider and endpoint", async () => {
    const home = tempDir("status-width")
    const kubeconfig = join(home, "config")
    const env = cliEnv(mock(), home, { KUBECONFIG: kubeconfig })
    const ack = mock().alibaba.clusters.filter((c) => c.state === "running" && c.region === "cn-hangzhou")
    expect((await runCli(["sync", "ack", "--region", "cn-hangzhou", "--private"], env)).code).toBe(0)
    expect((await runCli(["add", "ack", ack[0]!.clusterId, "--region", "cn-hangzhou", "--exec"], env)).code).toBe(0)
    const tke = mock().tencent.clusters.find((c) => c.status === "Running")!
    expect((await runCli(["add", "tke", tke.clusterId, "--region", tke.region], env)).code).toBe(0)
    const longest = Math.max(...names(kubeconfig).map((n) => n.length))
    expect(longest).toBeGreaterThanOrEqual(61) // alibaba-cn-hangzhou-<33-char id>-private

    const status = await runCli(["status"], env)
    expect(status.code).toBe(0)
    const lines = status.stdout.trimEnd().split("\n")
    expect(lines.length).toBe(names(kubeconfig).length + 1)
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(120)
    expect(lines[0]).toMatch(/^CURRENT\s+NAME\s+CLUSTER\s/)
    expect(status.stdout).toContain("prod-web-1")
    expect(status.stdout).toContain("(long-lived key in file)")
    for (const name of names(kubeconfig)) expect(status.stdout).toContain(name)

    const wide = await runCli(["status", "-o", "wide"], env)
    expect(wide.code).toBe(0)
    const [header, ...rows] = wide.stdout.trimEnd().split("\n")
    expect(header).toMatch(
      /^CURRENT\s+NAME\s+CLUSTER\s+CLUSTER ID\s+PROVIDER\s+REGION\s+ENDPOINT\s+CREDENTIAL\s+EXPIRES IN\s+FILE$/
    )
    expect(Math.max(...wide.stdout.split("\n").map((l) => l.length))).toBeGreaterThan(120)
    expect(rows.some((r) => r.includes(ack[0]!.clusterId) && r.includes("private"))).toBe(true)
    expect(rows.some((r) => r.includes("exec, renewed on use"))).toBe(true)
  })
})
