/**
 * The official Tencent Cloud SDK (tencentcloud-sdk-nodejs-tke) is the oracle: every request variant it sends
 * verifies, answers have the documented shape, and failures arrive as its own exception class with the
 * documented codes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type MockCloud, start } from "../src/index.js"
import { commonName, lifetimeYears, parseKubeconfig } from "./support/certificates.js"
import * as Clients from "./support/clients.js"
import { startTamperProxy } from "./support/tamperProxy.js"

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

let cloud: MockCloud
beforeAll(async () => {
  cloud = await start({ tencentRateLimit: 10_000 })
})
afterAll(() => cloud.stop())

const inRegion = (region: string) => cloud.tencent.clusters.filter((c) => c.region === region)
const byStatus = (status: string) => cloud.tencent.clusters.find((c) => c.status === status)!

const variants: ReadonlyArray<[string, Clients.TencentOptions]> = [
  ["POST", { method: "POST" }],
  ["GET", { method: "GET" }],
  ["POST with a temporary token", { method: "POST", sts: true }],
  ["GET with a temporary token and en-US", { method: "GET", sts: true, language: "en-US" }],
  ["POST with zh-CN", { method: "POST", language: "zh-CN" }]
]

describe.each(variants)("TKE via the SDK, %s", (_, options) => {
  it("DescribeClusterKubeconfig returns a kubeconfig with a 20-year certificate for the caller", async () => {
    const cluster = byStatus("Running")
    const client = Clients.tencent(cloud, options)
    const publicSide = await client.DescribeClusterKubeconfig({ ClusterId: cluster.clusterId, IsExtranet: true })
    expect(publicSide.RequestId).toMatch(UUID)
    const config = parseKubeconfig(publicSide.Kubeconfig!)
    expect(config.server).toBe(cloud.apiserver)
    expect(config.tlsServerName).toBe(`${cluster.clusterId}.tencent.kubecred.mock`)
    expect(config.clusterName).toBe(cluster.clusterId)
    expect(config.contextName).toBe(`${cluster.clusterId}-${config.userName}-context-default`)
    expect(commonName(config.cert)).toBe(config.userName)
    expect(config.userName).toMatch(/^\d{12}$/)
    expect(config.cert.checkIssued(config.ca)).toBe(true)
    expect(config.cert.verify(config.ca.publicKey)).toBe(true)
    expect(lifetimeYears(config.cert)).toBeGreaterThan(19.9)
    expect(config.keyPem).toContain("PRIVATE KEY")

    const privateSide = await client.DescribeClusterKubeconfig({ ClusterId: cluster.clusterId, IsExtranet: false })
    const inner = parseKubeconfig(privateSide.Kubeconfig!)
    expect(inner.server).toMatch(/^https:\/\/10\.\d+\.\d+\.\d+:443$/)
    expect(inner.tlsServerName).toBeUndefined()
    // Created on the first call, then the same certificate for this identity.
    expect(inner.cert.serialNumber).toBe(config.cert.serialNumber)
  })

  it("DescribeClusters pages through every cluster of the region", async () => {
    const client = Clients.tencent(cloud, options)
    const expected = inRegion("ap-guangzhou").filter((c) => c.status !== "Deleted")
    expect(expected.length).toBeGreaterThan(20)
    const first = await client.DescribeClusters({})
    expect(first.TotalCount).toBe(expected.length)
    expect(first.Clusters).toHaveLength(20)
    const seen: Array<string> = []
    for (let offset = 0; offset < expected.length; offset += 7) {
      const page = await client.DescribeClusters({ Offset: offset, Limit: 7 })
      expect(page.TotalCount).toBe(expected.length)
      expect(page.RequestId).toMatch(UUID)
      seen.push(...page.Clusters!.map((c) => c.ClusterId!))
    }
    expect(seen).toEqual(expected.map((c) => c.clusterId))
    const cluster = first.Clusters![0]!
    expect(cluster.ClusterId).toMatch(/^cls-[a-z0-9]{8}$/)
    expect(typeof cluster.ClusterName).toBe("string")
    expect(typeof cluster.ClusterNodeNum).toBe("number")
    expect(typeof cluster.Property).toBe("string")
    expect(typeof cluster.ClusterNetworkSettings?.VpcId).toBe("string")
    expect(cluster.CreatedTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
  })

  it("DescribeRegions lists every region, the finance ones too, which the account cannot use", async () => {
    const client = Clients.tencent(cloud, options)
    const answer = await client.DescribeRegions()
    expect(answer.RequestId).toMatch(UUID)
    const names = answer.RegionInstanceSet!.map((r) => r.RegionName!)
    expect(answer.TotalCount).toBe(names.length)
    for (const region of new Set(cloud.tencent.clusters.map((c) => c.region))) expect(names).toContain(region)
    expect(names).toContain("ap-shanghai-fsi")
    expect(answer.RegionInstanceSet!.every((r) => typeof r.RegionId === "number")).toBe(true)
    expect(answer.RegionInstanceSet!.find((r) => r.RegionName === "ap-guangzhou")!.Status).toBe("alluser")
    // listed, but refused to this account
    const fsi = Clients.tencent(cloud, { ...options, region: "ap-shanghai-fsi" })
    const refused = await Clients.thrown(() => fsi.DescribeClusters({}))
    expect(refused.code).toBe("UnsupportedRegion")
  })

  it("DescribeClusterEndpoints answers the addresses the kubeconfigs use", async () => {
    const cluster = byStatus("Running")
    const client = Clients.tencent(cloud, options)
    const answer = await client.DescribeClusterEndpoints({ ClusterId: cluster.clusterId })
    expect(answer.RequestId).toMatch(UUID)
    const publicSide = parseKubeconfig(
      (await client.DescribeClusterKubeconfig({ ClusterId: cluster.clusterId, IsExtranet: true })).Kubeconfig!
    )
    const privateSide = parseKubeconfig(
      (await client.DescribeClusterKubeconfig({ ClusterId: cluster.clusterId, IsExtranet: false })).Kubeconfig!
    )
    expect(answer.ClusterExternalEndpoint).toBe(publicSide.server)
    expect(answer.ClusterIntranetEndpoint).toBe(privateSide.server)
    expect(answer.ClusterDomain).toBe(publicSide.tlsServerName)
    expect(answer.CertificationAuthority).toContain("BEGIN CERTIFICATE")
    const missing = await Clients.thrown(() => client.DescribeClusterEndpoints({ ClusterId: "cls-zzzzzzzz" }))
    expect(missing.code).toBe("ResourceNotFound.ClusterNotFound")
  })

  it("DescribeClusters filters by ids, status and type", async () => {
    const client = Clients.tencent(cloud, options)
    const abnormal = byStatus("Abnormal")
    const byFilter = await client.DescribeClusters({ Filters: [{ Name: "ClusterStatus", Values: ["Abnormal"] }] })
    expect(byFilter.Clusters!.map((c) => c.ClusterId)).toEqual([abnormal.clusterId])
    const ids = inRegion("ap-guangzhou")
      .slice(0, 2)
      .map((c) => c.clusterId)
    const byIds = await client.DescribeClusters({ ClusterIds: ids })
    expect(byIds.Clusters!.map((c) => c.ClusterId)).toEqual(ids)
    const independent = await client.DescribeClusters({ ClusterType: "INDEPENDENT_CLUSTER" })
    expect(independent.Clusters!.every((c) => c.ClusterType === "INDEPENDENT_CLUSTER")).toBe(true)
    expect(independent.TotalCount).toBeGreaterThan(0)
    const empty = await client.DescribeClusters({ Offset: 1000 })
    expect(empty.Clusters).toEqual([])
  })
})

describe("TKE documented errors via the SDK", () => {
  const expectCode = async (call: () => Promise<unknown>, code: string) => {
    const error = await Clients.thrown(call)
    expect(error).toBeInstanceOf(Clients.TencentCloudSDKHttpException)
    expect(error.code).toBe(code)
    expect(error.requestId).toMatch(UUID)
    // X-TC-TraceId is echoed and surfaces on the exception.
    expect(error.traceId).toMatch(UUID)
    return error
  }

  it("an unknown, a deleted, a malformed and an abnormal cluster", async () => {
    const client = Clients.tencent(cloud)
    await expectCode(
      () => client.DescribeClusterKubeconfig({ ClusterId: "cls-zzzzzzzz" }),
      "ResourceNotFound.ClusterNotFound"
    )
    await expectCode(
      () => client.DescribeClusterKubeconfig({ ClusterId: byStatus("Deleted").clusterId }),
      "ResourceNotFound.ClusterNotFound"
    )
    await expectCode(
      () => client.DescribeClusterKubeconfig({ ClusterId: "not-a-cluster" }),
      "InvalidParameter.ClusterNotFound"
    )
    await expectCode(
      () => client.DescribeClusterKubeconfig({ ClusterId: byStatus("Abnormal").clusterId }),
      "ResourceUnavailable.ClusterInAbnormalStat"
    )
    await expectCode(
      () => client.DescribeClusterKubeconfig({ ClusterId: byStatus("Deleting").clusterId }),
      "ResourceUnavailable.ClusterInAbnormalStat"
    )
  })

  it("a cluster of another region is not found there", async () => {
    const client = Clients.tencent(cloud, { region: "ap-beijing" })
    await expectCode(
      () => client.DescribeClusterKubeconfig({ ClusterId: inRegion("ap-guangzhou")[0]!.clusterId }),
      "ResourceNotFound.ClusterNotFound"
    )
  })

  it("bad parameters", async () => {
    const client = Clients.tencent(cloud)
    await expectCode(() => client.DescribeClusters({ Limit: 101 }), "InvalidParameter.Param")
    await expectCode(() => client.DescribeClusterKubeconfig({} as never), "MissingParameter")
    await expectCode(
      () => client.DescribeClusterKubeconfig({ ClusterId: "cls-abc", Bogus: 1 } as never),
      "UnknownParameter"
    )
    await expectCode(() => Clients.tencent(cloud, { region: "xx-nowhere-1" }).DescribeClusters({}), "UnsupportedRegion")
  })

  it("a wrong secret key gives AuthFailure.SignatureFailure", async () => {
    const client = Clients.tencent(cloud, { secretKey: "wrong-secret" })
    await expectCode(() => client.DescribeClusters({}), "AuthFailure.SignatureFailure")
    const get = Clients.tencent(cloud, { secretKey: "wrong-secret", method: "GET" })
    await expectCode(() => get.DescribeClusters({}), "AuthFailure.SignatureFailure")
  })

  it("an unknown SecretId gives AuthFailure.SecretIdNotFound", async () => {
    const client = Clients.tencent(cloud, { secretId: "AKIDunknownunknownunknownunknown0000" })
    await expectCode(() => client.DescribeClusters({}), "AuthFailure.SecretIdNotFound")
  })

  it("a wrong or missing token gives AuthFailure.TokenFailure", async () => {
    await expectCode(
      () => Clients.tencent(cloud, { sts: true, token: "forged-token" }).DescribeClusters({}),
      "AuthFailure.TokenFailure"
    )
    const stsWithoutToken = Clients.tencent(cloud, {
      secretId: cloud.tencent.sts.secretId,
      secretKey: cloud.tencent.sts.secretKey
    })
    await expectCode(() => stsWithoutToken.DescribeClusters({}), "AuthFailure.TokenFailure")
  })

  it("a timestamp more than five minutes off gives AuthFailure.SignatureExpire", async () => {
    const client = Clients.tencent(cloud)
    try {
      cloud.setClock(6 * 60 * 1000)
      await expectCode(() => client.DescribeClusters({}), "AuthFailure.SignatureExpire")
      cloud.setClock(-6 * 60 * 1000)
      await expectCode(() => client.DescribeClusters({}), "AuthFailure.SignatureExpire")
      cloud.setClock(4 * 60 * 1000)
      await expect(client.DescribeClusters({})).resolves.toHaveProperty("TotalCount")
    } finally {
      cloud.setClock(0)
    }
  })

  it("a tampered body or query gives AuthFailure.SignatureFailure", async () => {
    const body = await startTamperProxy(cloud.tencent.endpoint, {
      body: (text) => text.replace(/"Limit":5/, '"Limit":6')
    })
    const query = await startTamperProxy(cloud.tencent.endpoint, {
      url: (url) => url.replace("Limit=5", "Limit=6")
    })
    try {
      await expectCode(
        () => Clients.tencent(cloud, { endpoint: body.endpoint }).DescribeClusters({ Limit: 5 }),
        "AuthFailure.SignatureFailure"
      )
      await expectCode(
        () => Clients.tencent(cloud, { endpoint: query.endpoint, method: "GET" }).DescribeClusters({ Limit: 5 }),
        "AuthFailure.SignatureFailure"
      )
      // The same proxies without tampering pass: the failure is the tampering's.
      const untouched = await startTamperProxy(cloud.tencent.endpoint, {})
      try {
        await expect(
          Clients.tencent(cloud, { endpoint: untouched.endpoint }).DescribeClusters({ Limit: 5 })
        ).resolves.toHaveProperty("TotalCount")
      } finally {
        await untouched.close()
      }
    } finally {
      await body.close()
      await query.close()
    }
  })
})
