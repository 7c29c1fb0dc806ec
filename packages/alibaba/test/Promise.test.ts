import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { ClusterNotFound, InvalidInput } from "@kubecred/core/KubecredError"
import * as MockCloud from "@kubecred/mock-cloud"
import { parse } from "yaml"
import { fetchKubeconfig, listClusters } from "../src/Promise.js"

let mock: MockCloud.MockCloud

beforeAll(async () => {
  mock = await MockCloud.start({ alibabaRateLimit: 1000 })
})
afterAll(() => mock.stop())

const env = () => ({
  ALIBABA_CLOUD_ACCESS_KEY_ID: mock.alibaba.accessKeyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: mock.alibaba.accessKeySecret,
  ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
  KUBECRED_ACK_ENDPOINT: mock.alibaba.endpoint
})
const running = () => mock.alibaba.clusters.find((c) => c.region === "cn-hangzhou" && c.state === "running")!.clusterId

describe("Promise facade", () => {
  for (const transport of ["http", "sdk"] as const) {
    it(`${transport}: fetchKubeconfig gives YAML, expiry and request id (region and endpoint from env)`, async () => {
      const result = await fetchKubeconfig({ clusterId: running(), env: env(), home: "/nonexistent", transport })
      const doc = parse(result.kubeconfig)
      expect(doc.clusters[0].cluster.server).toBe(mock.apiserver)
      expect(doc.users[0].user["client-key-data"]).toMatch(/^[A-Za-z0-9+/=]{100,}$/)
      expect(result.expiresAt).toBeInstanceOf(Date)
      expect(result.requestId).toMatch(/./)
      expect(result.attempts).toBe(1)
    })

    it(`${transport}: rejects with the tagged error instance`, async () => {
      const error = await fetchKubeconfig({
        clusterId: `c${"0".repeat(32)}`,
        env: env(),
        home: "/nonexistent",
        transport
      }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ClusterNotFound)
      expect((error as ClusterNotFound)._tag).toBe("ClusterNotFound")
    })
  }

  it("a temporary, private kubeconfig", async () => {
    const result = await fetchKubeconfig({
      clusterId: running(),
      endpoint: "private",
      temporaryDurationMinutes: 30,
      env: env(),
      home: "/nonexistent"
    })
    expect(parse(result.kubeconfig).clusters[0].cluster.server).toMatch(/^https:\/\/192\.168\./)
    expect(result.expiresAt!.getTime() - Date.now()).toBeLessThan(31 * 60_000)
  })

  it("no region anywhere is InvalidInput before any request", async () => {
    const { ALIBABA_CLOUD_REGION_ID: _, ...noRegion } = env()
    const error = await fetchKubeconfig({ clusterId: running(), env: noRegion, home: "/nonexistent" }).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(InvalidInput)
    expect((error as InvalidInput).field).toBe("region")
    const bad = await fetchKubeconfig({ clusterId: "nope", env: env(), home: "/nonexistent" }).catch((e: unknown) => e)
    expect(bad).toBeInstanceOf(InvalidInput)
  })

  it("listClusters", async () => {
    const rows = await listClusters({ regions: ["cn-beijing", "cn-shanghai"], env: env(), home: "/nonexistent" })
    expect(rows.map((r) => r.region).sort()).toEqual(["cn-beijing", "cn-beijing", "cn-beijing", "cn-shanghai"])
    expect(rows.every((r) => r.provider === "alibaba")).toBe(true)
  })

  it("an aborted signal rejects", async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(
      fetchKubeconfig({ clusterId: running(), env: env(), home: "/nonexistent", signal: controller.signal })
    ).rejects.toBeDefined()
  })
})
