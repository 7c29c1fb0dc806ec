/** Real kubectl against the stub, with kubeconfigs fetched through each official SDK. */
import { execFile } from "node:child_process"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as YAML from "yaml"
import { type MockCloud, start } from "../src/index.js"
import * as Clients from "./support/clients.js"

const run = promisify(execFile)

let cloud: MockCloud
let dir: string
beforeAll(async () => {
  cloud = await start()
  dir = await mkdtemp(join(tmpdir(), "kubecred-mock-kubectl-"))
})
afterAll(async () => {
  await cloud.stop()
  await rm(dir, { recursive: true, force: true })
})

let counter = 0
/** Runs kubectl asynchronously (the mock answers from this same process). */
const kubectl = async (kubeconfig: string, ...args: Array<string>) => {
  const file = join(dir, `kubeconfig-${++counter}`)
  await writeFile(file, kubeconfig, { mode: 0o600 })
  try {
    const { stdout } = await run(
      "kubectl",
      ["--kubeconfig", file, "--cache-dir", join(dir, `cache-${counter}`), "--request-timeout", "20s", ...args],
      { env: { PATH: process.env.PATH ?? "", HOME: dir } }
    )
    return { ok: true as const, stdout, stderr: "" }
  } catch (error: any) {
    return { ok: false as const, stdout: String(error.stdout ?? ""), stderr: String(error.stderr ?? "") }
  }
}

const namespaceNames = (stdout: string) => JSON.parse(stdout).items.map((item: any) => item.metadata.name)

const tkeKubeconfig = async (clusterId: string) =>
  (await Clients.tencent(cloud).DescribeClusterKubeconfig({ ClusterId: clusterId, IsExtranet: true })).Kubeconfig!

const ackKubeconfig = async (clusterId: string, temporaryDurationMinutes?: number) =>
  (
    await Clients.alibaba(cloud).describeClusterUserKubeconfig(
      clusterId,
      new Clients.Cs.DescribeClusterUserKubeconfigRequest(
        temporaryDurationMinutes === undefined ? {} : { temporaryDurationMinutes }
      )
    )
  ).body!.config!

describe("kubectl get namespaces", () => {
  it("works with a TKE kubeconfig fetched through the Tencent SDK", async () => {
    const cluster = cloud.tencent.clusters.find((c) => c.status === "Running")!
    const result = await kubectl(await tkeKubeconfig(cluster.clusterId), "get", "namespaces", "-o", "json")
    expect(result.stderr).toBe("")
    expect(namespaceNames(result.stdout)).toEqual(["default", "kube-system", "kube-public"])
  })

  it("works with an ACK kubeconfig (3 years and temporary) fetched through the Alibaba SDK", async () => {
    const cluster = cloud.alibaba.clusters.find((c) => c.state === "running")!
    for (const minutes of [undefined, 15]) {
      const result = await kubectl(await ackKubeconfig(cluster.clusterId, minutes), "get", "namespaces", "-o", "json")
      expect(result.stderr).toBe("")
      expect(namespaceNames(result.stdout)).toEqual(["default", "kube-system", "kube-public"])
    }
  })

  it("prints the server-side table too", async () => {
    const cluster = cloud.alibaba.clusters.find((c) => c.state === "running")!
    const result = await kubectl(await ackKubeconfig(cluster.clusterId), "get", "namespaces")
    expect(result.stdout).toMatch(/^NAME\s+STATUS\s+AGE\n/)
    expect(result.stdout).toContain("kube-system")
  })
})

describe("the stub refuses", () => {
  it("a temporary ACK certificate that has expired", async () => {
    const cluster = cloud.alibaba.clusters.find((c) => c.state === "running")!
    try {
      cloud.setCertificateClock(-2 * 24 * 3600 * 1000)
      const expired = await ackKubeconfig(cluster.clusterId, 15)
      const result = await kubectl(expired, "get", "namespaces", "-o", "json")
      expect(result.ok).toBe(false)
      expect(result.stderr).toMatch(/You must be logged in to the server/)
    } finally {
      cloud.setCertificateClock(0)
    }
  })

  it("a client certificate issued for another cluster", async () => {
    const [a, b] = cloud.tencent.clusters.filter((c) => c.status === "Running")
    const mine = YAML.parse(await tkeKubeconfig(a!.clusterId))
    const other = YAML.parse(await tkeKubeconfig(b!.clusterId))
    mine.users[0].user = other.users[0].user
    const result = await kubectl(YAML.stringify(mine), "get", "namespaces", "-o", "json")
    expect(result.ok).toBe(false)
    expect(result.stderr).toMatch(/You must be logged in to the server/)
  })

  it("a client without a certificate", async () => {
    const cluster = cloud.tencent.clusters.find((c) => c.status === "Running")!
    const config = YAML.parse(await tkeKubeconfig(cluster.clusterId))
    config.users[0].user = { token: "not-a-certificate" }
    const result = await kubectl(YAML.stringify(config), "get", "namespaces", "-o", "json")
    expect(result.ok).toBe(false)
    expect(result.stderr).toMatch(/You must be logged in to the server/)
  })
})
