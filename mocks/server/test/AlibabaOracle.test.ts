/**
 * The official Alibaba Cloud SDK (@alicloud/cs20151215 on openapi-core) is the oracle: V3 (ACS3-HMAC-SHA256)
 * with long-lived and STS credentials and the legacy ROA v2 (HMAC-SHA1) signature all verify, answers have the
 * documented shape, failures arrive as the SDK's ClientError/ThrottlingError with the documented codes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type MockCloud, start } from "../src/index.js"
import { commonName, lifetimeYears, parseKubeconfig } from "./support/certificates.js"
import * as Clients from "./support/clients.js"
import { startTamperProxy } from "./support/tamperProxy.js"

const { Cs } = Clients

let cloud: MockCloud
beforeAll(async () => {
  cloud = await start({ alibabaRateLimit: 10_000 })
})
afterAll(() => cloud.stop())

const byState = (state: string) => cloud.alibaba.clusters.find((c) => c.state === state)!
const kubeconfigRequest = (fields: { privateIpAddress?: boolean; temporaryDurationMinutes?: number } = {}) =>
  new Cs.DescribeClusterUserKubeconfigRequest(fields)

const variants: ReadonlyArray<[string, Clients.AlibabaOptions]> = [
  ["V3 (ACS3-HMAC-SHA256)", {}],
  ["V3 with STS credentials", { sts: true }],
  ["legacy v2 (acs AK:signature)", { v2: true }],
  ["legacy v2 with STS credentials", { v2: true, sts: true }]
]

describe.each(variants)("ACK via the SDK, %s", (_, options) => {
  it("DescribeClusterUserKubeconfig: a 3-year certificate for the caller, expiration = notAfter", async () => {
    const cluster = byState("running")
    const client = Clients.alibaba(cloud, options)
    const response = await client.describeClusterUserKubeconfig(cluster.clusterId, kubeconfigRequest())
    expect(response.statusCode).toBe(200)
    expect(response.headers?.["x-acs-request-id"]).toMatch(/^[0-9A-F-]{36}$/)
    const config = parseKubeconfig(response.body!.config!)
    expect(config.server).toBe(cloud.apiserver)
    expect(config.tlsServerName).toBe(`${cluster.clusterId}.alibaba.kubecred.mock`)
    expect(config.clusterName).toBe("kubernetes")
    expect(config.contextName).toBe(`${config.userName}-${cluster.clusterId}`)
    expect(commonName(config.cert)).toBe(config.userName)
    expect(config.userName).toMatch(/^\d{16}$/)
    expect(config.cert.verify(config.ca.publicKey)).toBe(true)
    expect(lifetimeYears(config.cert)).toBeGreaterThan(2.9)
    expect(response.body!.expiration).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    expect(Date.parse(response.body!.expiration!)).toBe(Date.parse(config.cert.validTo))
  })

  it("DescribeClusterUserKubeconfig: temporary (15..4320 minutes) and private", async () => {
    const cluster = byState("running")
    const client = Clients.alibaba(cloud, options)
    for (const minutes of [15, 60, 4320]) {
      const response = await client.describeClusterUserKubeconfig(
        cluster.clusterId,
        kubeconfigRequest({ temporaryDurationMinutes: minutes })
      )
      const config = parseKubeconfig(response.body!.config!)
      const notAfter = Date.parse(config.cert.validTo)
      expect(Date.parse(response.body!.expiration!)).toBe(notAfter)
      // Lifetime from issue (notBefore is backdated five minutes) to expiry is the requested duration.
      expect((notAfter - Date.parse(config.cert.validFrom)) / 60_000).toBe(minutes + 5)
    }
    const inner = await client.describeClusterUserKubeconfig(
      cluster.clusterId,
      kubeconfigRequest({ privateIpAddress: true })
    )
    expect(parseKubeconfig(inner.body!.config!).server).toMatch(/^https:\/\/192\.168\.\d+\.\d+:6443$/)
  })

  it("DescribeClustersV1 pages through every cluster, with filters", async () => {
    const client = Clients.alibaba(cloud, options)
    const expected = cloud.alibaba.clusters.filter((c) => c.state !== "deleted")
    const first = await client.describeClustersV1(new Cs.DescribeClustersV1Request({}))
    expect(first.body!.pageInfo).toMatchObject({ pageNumber: 1, pageSize: 10, totalCount: expected.length })
    expect(first.body!.clusters).toHaveLength(10)
    const seen: Array<string> = []
    for (let page = 1; (page - 1) * 4 < expected.length; page++) {
      const response = await client.describeClustersV1(
        new Cs.DescribeClustersV1Request({ pageNumber: page, pageSize: 4 })
      )
      expect(response.body!.pageInfo!.totalCount).toBe(expected.length)
      seen.push(...response.body!.clusters!.map((c) => c.clusterId!))
    }
    expect(seen).toEqual(expected.map((c) => c.clusterId))
    const cluster = first.body!.clusters![0]!
    expect(cluster.clusterId).toMatch(/^c[0-9a-f]{32}$/)
    expect(typeof cluster.name).toBe("string")
    expect(typeof cluster.size).toBe("number")
    expect(typeof cluster.masterUrl).toBe("string")

    const beijing = await client.describeClustersV1(new Cs.DescribeClustersV1Request({ regionId: "cn-beijing" }))
    expect(beijing.body!.clusters!.every((c) => c.regionId === "cn-beijing")).toBe(true)
    expect(beijing.body!.pageInfo!.totalCount).toBe(expected.filter((c) => c.region === "cn-beijing").length)
    const named = await client.describeClustersV1(new Cs.DescribeClustersV1Request({ name: "prod-web" }))
    expect(named.body!.clusters!.every((c) => c.name!.includes("prod-web"))).toBe(true)
    const dedicated = await client.describeClustersV1(new Cs.DescribeClustersV1Request({ clusterType: "Kubernetes" }))
    expect(dedicated.body!.clusters!.map((c) => c.clusterType)).toEqual(["Kubernetes"])
  })
})

describe("ACK documented errors via the SDK", () => {
  const expectError = async (
    call: () => Promise<unknown>,
    code: string,
    statusCode: number,
    type: new (...args: Array<any>) => Error = Clients.ClientError
  ) => {
    const error = await Clients.thrown(call)
    expect(error).toBeInstanceOf(type)
    expect(error.code).toBe(code)
    expect(error.statusCode).toBe(statusCode)
    expect(error.requestId).toMatch(/^[0-9A-F-]{36}$/)
    return error
  }

  it("unknown, deleted, failed and deleting clusters", async () => {
    const client = Clients.alibaba(cloud)
    await expectError(
      () => client.describeClusterUserKubeconfig(`c${"0".repeat(32)}`, kubeconfigRequest()),
      "ErrorClusterNotFound",
      404
    )
    await expectError(
      () => client.describeClusterUserKubeconfig(byState("deleted").clusterId, kubeconfigRequest()),
      "ErrorClusterNotFound",
      404
    )
    await expectError(
      () => client.describeClusterUserKubeconfig(byState("failed").clusterId, kubeconfigRequest()),
      "ErrorClusterState",
      400
    )
    await expectError(
      () => client.describeClusterUserKubeconfig(byState("deleting").clusterId, kubeconfigRequest()),
      "ErrorClusterState",
      400
    )
  })

  it("TemporaryDurationMinutes out of 15..4320 and a bad page size give InvalidParameter", async () => {
    const client = Clients.alibaba(cloud)
    const id = byState("running").clusterId
    for (const minutes of [14, 4321]) {
      await expectError(
        () => client.describeClusterUserKubeconfig(id, kubeconfigRequest({ temporaryDurationMinutes: minutes })),
        "InvalidParameter",
        400
      )
    }
    await expectError(
      () => client.describeClustersV1(new Cs.DescribeClustersV1Request({ pageSize: 101 })),
      "InvalidParameter",
      400
    )
  })

  it("a wrong secret gives SignatureDoesNotMatch, V3 and v2", async () => {
    for (const v2 of [false, true]) {
      const client = Clients.alibaba(cloud, { v2, accessKeySecret: "wrong-secret" })
      await expectError(
        () => client.describeClustersV1(new Cs.DescribeClustersV1Request({})),
        "SignatureDoesNotMatch",
        400
      )
    }
  })

  it("an unknown AccessKeyId gives InvalidAccessKeyId.NotFound (404)", async () => {
    for (const v2 of [false, true]) {
      const client = Clients.alibaba(cloud, { v2, accessKeyId: "LTAIunknownunknown00000" })
      await expectError(
        () => client.describeClustersV1(new Cs.DescribeClustersV1Request({})),
        "InvalidAccessKeyId.NotFound",
        404
      )
    }
  })

  it("a wrong security token is refused", async () => {
    const client = Clients.alibaba(cloud, { sts: true, securityToken: "CAISforged" })
    await expectError(
      () => client.describeClustersV1(new Cs.DescribeClustersV1Request({})),
      "InvalidSecurityToken.MismatchWithAccessKey",
      400
    )
  })

  it("a date more than 15 minutes off gives InvalidTimeStamp.Expired, V3 and v2", async () => {
    try {
      for (const offset of [16 * 60_000, -16 * 60_000]) {
        cloud.setClock(offset)
        for (const v2 of [false, true]) {
          await expectError(
            () => Clients.alibaba(cloud, { v2 }).describeClustersV1(new Cs.DescribeClustersV1Request({})),
            "InvalidTimeStamp.Expired",
            400
          )
        }
      }
      cloud.setClock(14 * 60_000)
      await expect(
        Clients.alibaba(cloud).describeClustersV1(new Cs.DescribeClustersV1Request({}))
      ).resolves.toHaveProperty("statusCode", 200)
    } finally {
      cloud.setClock(0)
    }
  })

  it("a replayed nonce gives SignatureNonceUsed, V3 and v2", async () => {
    for (const v2 of [false, true]) {
      // The SDK lets global headers override the nonce it generates: the same nonce twice is a replay.
      const nonce = `replay-${v2 ? "v2" : "v3"}-${Math.random().toString(16).slice(2)}`
      const client = Clients.alibaba(cloud, { v2, headers: { "x-acs-signature-nonce": nonce } })
      await expect(client.describeClustersV1(new Cs.DescribeClustersV1Request({}))).resolves.toHaveProperty(
        "statusCode",
        200
      )
      await expectError(
        () => client.describeClustersV1(new Cs.DescribeClustersV1Request({})),
        "SignatureNonceUsed",
        400
      )
    }
  })

  it("a tampered query gives SignatureDoesNotMatch, V3 and v2", async () => {
    const proxy = await startTamperProxy(cloud.alibaba.endpoint, {
      url: (url) => url.replace("PrivateIpAddress=true", "PrivateIpAddress=false")
    })
    try {
      for (const v2 of [false, true]) {
        const client = Clients.alibaba(cloud, { v2, endpoint: proxy.endpoint })
        await expectError(
          () =>
            client.describeClusterUserKubeconfig(
              byState("running").clusterId,
              kubeconfigRequest({ privateIpAddress: true })
            ),
          "SignatureDoesNotMatch",
          400
        )
        // Untampered traffic through the same proxy verifies (V3 signs host:port, and the proxy keeps Host).
        await expect(
          client.describeClusterUserKubeconfig(
            byState("running").clusterId,
            kubeconfigRequest({ privateIpAddress: false })
          )
        ).resolves.toHaveProperty("statusCode", 200)
      }
    } finally {
      await proxy.close()
    }
  })
})
