/** Rate limits per identity and action: TKE RequestLimitExceeded (HTTP 200), ACK Throttling.User (429 + x-acs-retry-after). */
import { afterAll, beforeAll, expect, it } from "vitest"
import { type MockCloud, start } from "../src/index.js"
import * as Clients from "./support/clients.js"

let cloud: MockCloud
beforeAll(async () => {
  cloud = await start({ tencentRateLimit: 2, alibabaRateLimit: 2 })
})
afterAll(() => cloud.stop())

const settle = (calls: ReadonlyArray<Promise<unknown>>) => Promise.allSettled(calls)

it("TKE answers RequestLimitExceeded beyond the limit per SecretId and action", async () => {
  const client = Clients.tencent(cloud)
  const results = await settle(Array.from({ length: 24 }, () => client.DescribeClusters({ Limit: 1 })))
  const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected")
  expect(results.some((r) => r.status === "fulfilled")).toBe(true)
  // 24 requests at 2 per second: unless they spread over 12 seconds, some are throttled.
  expect(rejected.length).toBeGreaterThan(0)
  for (const { reason } of rejected) {
    expect(reason).toBeInstanceOf(Clients.TencentCloudSDKHttpException)
    expect(reason.code).toBe("RequestLimitExceeded")
    expect(reason.message).toMatch(/exceeds the frequency limit `2` for a second/)
  }
  // Another action and another SecretId have their own budgets.
  const cluster = cloud.tencent.clusters.find((c) => c.status === "Running")!
  await expect(client.DescribeClusterKubeconfig({ ClusterId: cluster.clusterId })).resolves.toHaveProperty("Kubeconfig")
  await expect(Clients.tencent(cloud, { sts: true }).DescribeClusters({ Limit: 1 })).resolves.toHaveProperty(
    "TotalCount"
  )
})

it("ACK answers Throttling.User (429) with x-acs-retry-after in ms", async () => {
  const client = Clients.alibaba(cloud)
  const results = await settle(
    Array.from({ length: 24 }, () =>
      client.describeClustersV1(new Clients.Cs.DescribeClustersV1Request({ pageSize: 1 }))
    )
  )
  const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected")
  expect(results.some((r) => r.status === "fulfilled")).toBe(true)
  expect(rejected.length).toBeGreaterThan(0)
  for (const { reason } of rejected) {
    expect(reason).toBeInstanceOf(Clients.ThrottlingError)
    expect(reason.code).toBe("Throttling.User")
    expect(reason.statusCode).toBe(429)
    expect(reason.retryAfter).toBeGreaterThanOrEqual(0)
    expect(reason.retryAfter).toBeLessThanOrEqual(1000)
  }
})

it("limits change at run time, from code and through the control endpoint", async () => {
  cloud.setRateLimit("tencent", 10_000)
  const client = Clients.tencent(cloud)
  const results = await settle(Array.from({ length: 24 }, () => client.DescribeClusters({ Limit: 1 })))
  expect(results.every((r) => r.status === "fulfilled")).toBe(true)

  const response = await fetch(`${cloud.control}/rate-limit`, {
    method: "PUT",
    body: JSON.stringify({ provider: "alibaba", perSecond: 10_000 })
  })
  expect(response.status).toBe(200)
  const alibaba = Clients.alibaba(cloud)
  const ack = await settle(
    Array.from({ length: 24 }, () =>
      alibaba.describeClustersV1(new Clients.Cs.DescribeClustersV1Request({ pageSize: 1 }))
    )
  )
  expect(ack.every((r) => r.status === "fulfilled")).toBe(true)
  // Throttled requests are counted too.
  expect(cloud.stats().requests["tencent:DescribeClusters"]).toBeGreaterThanOrEqual(49)
})
