/** The public surface: the scoped layer, start/stop, fixtures, generated clusters, the control endpoint. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Scope } from "effect"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as YAML from "yaml"
import { defaultFixtures, layer, MockCloudServer, make, readyInfo, start } from "../src/index.js"
import * as Clients from "./support/clients.js"

const reachable = (url: string) =>
  Effect.promise(() =>
    fetch(`${url}/stats`).then(
      () => true,
      () => false
    )
  )

describe("MockCloudServer layer", () => {
  it.layer(layer({ tencentRateLimit: 10_000 }))((it) => {
    it.effect("serves both clouds on one loopback port, the stub on another", () =>
      Effect.gen(function* () {
        const cloud = yield* MockCloudServer
        expect(cloud.tencent.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
        expect(cloud.alibaba.endpoint).toBe(cloud.tencent.endpoint)
        expect(cloud.control).toBe(cloud.tencent.endpoint)
        expect(cloud.apiserver).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
        expect(cloud.apiserver).not.toBe(cloud.tencent.endpoint.replace("http", "https"))
        const response = yield* Effect.promise(() => Clients.tencent(cloud).DescribeClusters({ Limit: 1 }))
        expect(response.TotalCount).toBeGreaterThan(20)
      })
    )

    it.effect("GET /ready is the ready-file object; GET /stats counts per provider:action", () =>
      Effect.gen(function* () {
        const cloud = yield* MockCloudServer
        const ready = yield* Effect.promise(() => fetch(`${cloud.control}/ready`).then((r) => r.json() as Promise<any>))
        expect(ready).toEqual(JSON.parse(JSON.stringify(readyInfo(cloud))))
        expect(Object.keys(ready).sort()).toEqual([
          "alibaba",
          "apiserver",
          "caFile",
          "control",
          "https",
          "metadata",
          "oidc",
          "tencent"
        ])
        expect(Object.keys(ready.tencent).sort()).toEqual([
          "clusters",
          "endpoint",
          "oidcProviders",
          "roles",
          "secretId",
          "secretKey",
          "sts",
          "stsEndpoint"
        ])
        expect(Object.keys(ready.alibaba).sort()).toEqual([
          "accessKeyId",
          "accessKeySecret",
          "clusters",
          "credentialsUri",
          "endpoint",
          "oidcProviders",
          "roles",
          "sts",
          "stsEndpoint"
        ])
        expect(Object.keys(ready.tencent.sts).sort()).toEqual(["secretId", "secretKey", "token"])
        expect(Object.keys(ready.alibaba.sts).sort()).toEqual(["accessKeyId", "accessKeySecret", "securityToken"])
        const stats = yield* Effect.promise(() => fetch(`${cloud.control}/stats`).then((r) => r.json() as Promise<any>))
        expect(stats.requests["tencent:DescribeClusters"]).toBeGreaterThanOrEqual(1)
      })
    )
  })

  it.effect("stops with its scope", () =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const cloud = yield* MockCloudServer.pipe(Effect.provide(Layer.extendScope(layer())), Scope.extend(scope))
      expect(yield* reachable(cloud.control)).toBe(true)
      yield* Scope.close(scope, Exit.void)
      expect(yield* reachable(cloud.control)).toBe(false)
    })
  )
})

describe("state", () => {
  it.effect("default fixtures: regions, every status, ids in the cloud's formats", () =>
    Effect.gen(function* () {
      const cloud = yield* make()
      const tencentStatuses = new Set(cloud.tencent.clusters.map((c) => c.status))
      for (const status of ["Running", "Abnormal", "Deleting", "Deleted"])
        expect(tencentStatuses.has(status)).toBe(true)
      const alibabaStates = new Set(cloud.alibaba.clusters.map((c) => c.state))
      for (const state of ["running", "failed", "deleting", "deleted"]) expect(alibabaStates.has(state)).toBe(true)
      expect(new Set(cloud.tencent.clusters.map((c) => c.region))).toEqual(
        new Set(["ap-guangzhou", "ap-shanghai", "ap-beijing"])
      )
      expect(new Set(cloud.alibaba.clusters.map((c) => c.region))).toEqual(
        new Set(["cn-hangzhou", "cn-beijing", "cn-shanghai"])
      )
      for (const c of cloud.tencent.clusters) expect(c.clusterId).toMatch(/^cls-[a-z0-9]{8}$/)
      for (const c of cloud.alibaba.clusters) expect(c.clusterId).toMatch(/^c[0-9a-f]{32}$/)
    }).pipe(Effect.scoped)
  )

  it.effect("credentials are random per start", () =>
    Effect.gen(function* () {
      const a = yield* make()
      const b = yield* make()
      expect(a.tencent.secretKey).not.toBe(b.tencent.secretKey)
      expect(a.alibaba.sts.securityToken).not.toBe(b.alibaba.sts.securityToken)
      expect(a.tencent.secretId).not.toBe(a.tencent.sts.secretId)
    }).pipe(Effect.scoped)
  )

  it.effect("fixtures load from a YAML file", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.promise(() => mkdtemp(join(tmpdir(), "kubecred-fixtures-")))
      yield* Effect.addFinalizer(() => Effect.promise(() => rm(dir, { recursive: true, force: true })))
      const file = join(dir, "fixtures.yaml")
      yield* Effect.promise(() =>
        writeFile(
          file,
          YAML.stringify({
            tencent: {
              clusters: [{ clusterId: "cls-abcd1234", region: "ap-guangzhou", name: "one", status: "Running" }]
            },
            alibaba: { clusters: [{ region: "cn-hangzhou", name: "two", state: "running" }] }
          })
        )
      )
      const cloud = yield* make({ fixtures: file })
      expect(cloud.tencent.clusters).toEqual([{ clusterId: "cls-abcd1234", region: "ap-guangzhou", status: "Running" }])
      expect(cloud.alibaba.clusters).toHaveLength(1)
      const response = yield* Effect.promise(() =>
        Clients.tencent(cloud).DescribeClusterKubeconfig({ ClusterId: "cls-abcd1234" })
      )
      expect(response.Kubeconfig).toContain("cls-abcd1234")
    }).pipe(Effect.scoped)
  )

  it.effect("invalid fixtures fail the start", () =>
    Effect.gen(function* () {
      const exit = yield* make({ fixtures: { tencent: { clusters: [{ region: "x" } as never] } } }).pipe(Effect.exit)
      expect(Exit.isFailure(exit)).toBe(true)
    }).pipe(Effect.scoped)
  )

  it.effect("generated clusters page in bulk (2,000 in one region)", () =>
    Effect.gen(function* () {
      const cloud = yield* make({
        fixtures: { tencent: { clusters: [] }, alibaba: { clusters: [] } },
        generate: {
          tencent: [{ region: "ap-guangzhou", count: 2000 }],
          alibaba: [{ region: "cn-hangzhou", count: 250 }]
        },
        tencentRateLimit: 10_000,
        alibabaRateLimit: 10_000
      })
      const client = Clients.tencent(cloud)
      const ids: Array<string> = []
      for (let offset = 0; offset < 2000; offset += 100) {
        const page = yield* Effect.promise(() => client.DescribeClusters({ Offset: offset, Limit: 100 }))
        expect(page.TotalCount).toBe(2000)
        ids.push(...page.Clusters!.map((c) => c.ClusterId!))
      }
      expect(new Set(ids).size).toBe(2000)
      const ack = yield* Effect.promise(() =>
        Clients.alibaba(cloud).describeClustersV1(
          new Clients.Cs.DescribeClustersV1Request({ pageNumber: 3, pageSize: 100 })
        )
      )
      expect(ack.body!.pageInfo!.totalCount).toBe(250)
      expect(ack.body!.clusters).toHaveLength(50)
    }).pipe(Effect.scoped)
  )
})

describe("start()", () => {
  it("returns the ready info and stops", async () => {
    const cloud = await start({ fixtures: defaultFixtures })
    expect(cloud.tencent.clusters.length).toBeGreaterThan(20)
    await cloud.stop()
    await expect(fetch(`${cloud.control}/stats`)).rejects.toThrow()
  })

  it("stop() ends connections that hang", async () => {
    const cloud = await start({ faults: [{ provider: "tencent", hang: true }] })
    const pending = Clients.tencent(cloud, { timeoutSeconds: 60 }).DescribeClusters({})
    const outcome = pending.then(
      () => "answered",
      () => "failed"
    )
    await new Promise((resolve) => setTimeout(resolve, 100))
    await cloud.stop()
    expect(await outcome).toBe("failed")
  })

  it("refuses to start on a port in use", async () => {
    const cloud = await start()
    try {
      await expect(start({ port: Number(new URL(cloud.control).port) })).rejects.toThrow(/mock cloud failed to start/)
    } finally {
      await cloud.stop()
    }
  })
})
