/** Fault injection, seen through the official SDKs: documented errors, bare statuses, garbage, resets, hangs. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { type FaultRule, type MockCloud, start } from "../src/index.js"
import * as Clients from "./support/clients.js"

let cloud: MockCloud
beforeAll(async () => {
  cloud = await start({ tencentRateLimit: 10_000, alibabaRateLimit: 10_000 })
})
afterAll(() => cloud.stop())
afterEach(() => cloud.setFaults([]))

const tkeCluster = () => cloud.tencent.clusters.find((c) => c.status === "Running")!.clusterId
const ackCluster = () => cloud.alibaba.clusters.find((c) => c.state === "running")!.clusterId
const tkeKubeconfig = (options: Clients.TencentOptions = {}) =>
  Clients.tencent(cloud, options).DescribeClusterKubeconfig({ ClusterId: tkeCluster(), IsExtranet: true })
const ackKubeconfig = (options: Clients.AlibabaOptions = {}) =>
  Clients.alibaba(cloud, options).describeClusterUserKubeconfig(
    ackCluster(),
    new Clients.Cs.DescribeClusterUserKubeconfigRequest({})
  )

/** Every documented TKE code (docs/contracts/tke.md) and ACK code (docs/contracts/ack.md), so provider tables can provoke each one. */
const TKE_CODES = [
  "ActionOffline",
  "AuthFailure.InvalidAuthorization",
  "AuthFailure.InvalidSecretId",
  "AuthFailure.MFAFailure",
  "AuthFailure.SecretIdNotFound",
  "AuthFailure.SignatureExpire",
  "AuthFailure.SignatureFailure",
  "AuthFailure.TokenFailure",
  "AuthFailure.UnauthorizedOperation",
  "DryRunOperation",
  "FailedOperation",
  "InternalError",
  "InvalidAction",
  "InvalidParameter",
  "InvalidParameterValue",
  "InvalidRequest",
  "IpInBlacklist",
  "IpNotInWhitelist",
  "LimitExceeded",
  "MissingParameter",
  "NoSuchProduct",
  "NoSuchVersion",
  "RequestLimitExceeded",
  "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
  "RequestLimitExceeded.IPLimitExceeded",
  "RequestLimitExceeded.UinLimitExceeded",
  "RequestSizeLimitExceeded",
  "ResourceInUse",
  "ResourceInsufficient",
  "ResourceNotFound",
  "ResourceUnavailable",
  "ResponseSizeLimitExceeded",
  "ServiceUnavailable",
  "UnauthorizedOperation",
  "UnknownParameter",
  "UnsupportedOperation",
  "UnsupportedProtocol",
  "UnsupportedRegion",
  "FailedOperation.ComponentClientHttp",
  "FailedOperation.KubeCommon",
  "FailedOperation.KubernetesClientBuildError",
  "FailedOperation.UnexpectedError",
  "InternalError.CamNoAuth",
  "InternalError.ComponentClientHttp",
  "InternalError.Db",
  "InternalError.DbAffectivedRows",
  "InternalError.KubeClientConnection",
  "InternalError.KubernetesClientBuildError",
  "InternalError.KubernetesCreateOperationError",
  "InternalError.KubernetesDeleteOperationError",
  "InternalError.Param",
  "InternalError.QuotaMaxClsLimit",
  "InternalError.QuotaMaxNodLimit",
  "InternalError.UnexpectedInternal",
  "InternalError.WhitelistUnexpectedError",
  "InvalidParameter.ClusterNotFound",
  "InvalidParameter.Param",
  "ResourceNotFound.ClusterNotFound",
  "ResourceNotFound.KubernetesResourceNotFound",
  "ResourceUnavailable.ClusterInAbnormalStat",
  "UnauthorizedOperation.CamNoAuth",
  "UnauthorizedOperation.NoRBACPermissions"
]

const ACK_CODES: ReadonlyArray<[string, number, "ClientError" | "ServerError" | "ThrottlingError"]> = [
  ["InvalidAccessKeyId.NotFound", 404, "ClientError"],
  ["InvalidAccessKeyId.Inactive", 400, "ClientError"],
  ["Forbidden.AccessKeyDisabled", 403, "ClientError"],
  ["SignatureDoesNotMatch", 400, "ClientError"],
  ["IncompleteSignature", 400, "ClientError"],
  ["InvalidTimeStamp.Expired", 400, "ClientError"],
  ["SignatureNonceUsed", 400, "ClientError"],
  ["InvalidSecurityToken.Expired", 400, "ClientError"],
  ["InvalidSecurityToken.MismatchWithAccessKey", 400, "ClientError"],
  ["InvalidSecurityToken.Malformed", 400, "ClientError"],
  ["Forbidden.RAM", 403, "ClientError"],
  ["Forbidden", 403, "ClientError"],
  ["NoPermission", 403, "ClientError"],
  ["Throttling", 400, "ThrottlingError"],
  ["Throttling.User", 429, "ThrottlingError"],
  ["Throttling.Api", 429, "ThrottlingError"],
  ["Throttling.Resource", 429, "ThrottlingError"],
  ["ServiceUnavailable", 503, "ServerError"],
  ["InternalError", 500, "ServerError"],
  ["UnknownError", 500, "ServerError"],
  ["ErrorClusterNotFound", 404, "ClientError"],
  ["ErrorCheckAcl", 403, "ClientError"],
  ["ErrorRamPolicyConfig", 403, "ClientError"],
  ["InvalidParameter", 400, "ClientError"],
  ["ErrorQueryCluster", 500, "ServerError"],
  ["ErrorClusterState", 400, "ClientError"]
]

describe("documented error codes through fault injection", () => {
  it.each(TKE_CODES)("TKE %s arrives as the SDK's exception with that code", async (code) => {
    cloud.setFaults([{ provider: "tencent", error: { code, message: `injected ${code}` } }])
    const error = await Clients.thrown(() => tkeKubeconfig())
    expect(error).toBeInstanceOf(Clients.TencentCloudSDKHttpException)
    expect(error.code).toBe(code)
    expect(error.message).toBe(`injected ${code}`)
    expect(error.requestId).not.toBe("")
  })

  it.each(ACK_CODES)("ACK %s arrives with status %i as %s", async (code, status, type) => {
    cloud.setFaults([{ provider: "alibaba", error: { code } }])
    const error = await Clients.thrown(() => ackKubeconfig())
    const classes = {
      ClientError: Clients.ClientError,
      ServerError: Clients.ServerError,
      ThrottlingError: Clients.ThrottlingError
    }
    expect(error).toBeInstanceOf(classes[type])
    expect(error.code).toBe(code)
    expect(error.statusCode).toBe(status)
    expect(error.requestId).toMatch(/^[0-9A-F-]{36}$/)
  })

  it("an ACK error may carry its own status and retry-after", async () => {
    cloud.setFaults([{ provider: "alibaba", error: { code: "Throttling.User", status: 503, retryAfterMs: 1500 } }])
    const error = await Clients.thrown(() => ackKubeconfig())
    expect(error).toBeInstanceOf(Clients.ThrottlingError)
    expect(error.statusCode).toBe(503)
    expect(error.retryAfter).toBe(1500)
  })
})

describe("transport-level faults", () => {
  it("a bare 502/503: TKE gives httpCode, ACK's SDK fails parsing the HTML", async () => {
    cloud.setFaults([
      { provider: "tencent", httpStatus: 502 },
      { provider: "alibaba", httpStatus: 503 }
    ])
    const tke = await Clients.thrown(() => tkeKubeconfig())
    expect(tke).toBeInstanceOf(Clients.TencentCloudSDKHttpException)
    expect(tke.httpCode).toBe(502)
    expect(tke.code).toBeUndefined()
    const ack = await Clients.thrown(() => ackKubeconfig())
    expect(ack).toBeInstanceOf(SyntaxError)
  })

  it("non-JSON, empty and truncated 200 bodies break both SDKs' parsing", async () => {
    for (const fault of [{ nonJson: true }, { emptyBody: true }, { truncate: true }]) {
      cloud.setFaults([
        { provider: "tencent", ...fault },
        { provider: "alibaba", ...fault }
      ])
      const tke = await Clients.thrown(() => tkeKubeconfig())
      expect(tke).not.toBeInstanceOf(Clients.TencentCloudSDKHttpException)
      expect(tke.name).toBe("FetchError")
      const ack = await Clients.thrown(() => ackKubeconfig())
      expect(ack).toBeInstanceOf(SyntaxError)
    }
  })

  it("a wrong-shaped 200 passes the SDKs without the promised field", async () => {
    cloud.setFaults([
      { provider: "tencent", wrongShape: true },
      { provider: "alibaba", wrongShape: true }
    ])
    const tke = await tkeKubeconfig()
    expect(tke.Kubeconfig).toBeUndefined()
    const ack = await ackKubeconfig()
    expect(String(ack.body?.config)).not.toContain("apiVersion")
  })

  it("a reset connection is a network error", async () => {
    cloud.setFaults([
      { provider: "tencent", reset: true },
      { provider: "alibaba", reset: true }
    ])
    const tke = await Clients.thrown(() => tkeKubeconfig())
    expect(tke).toBeInstanceOf(Clients.TencentCloudSDKHttpException)
    expect(tke.message).toMatch(/socket hang up|ECONNRESET/)
    const ack = await Clients.thrown(() => ackKubeconfig())
    expect(ack.message).toMatch(/socket hang up|ECONNRESET/)
  })

  it("a hang lasts until the client gives up", async () => {
    cloud.setFaults([
      { provider: "tencent", hang: true },
      { provider: "alibaba", hang: true }
    ])
    const tke = await Clients.thrown(() => tkeKubeconfig({ timeoutSeconds: 1 }))
    expect(tke.message).toMatch(/timeout/)
    const ack = await Clients.thrown(() => ackKubeconfig({ timeoutMs: 300 }))
    expect(ack.name).toBe("RequestTimeoutError")
  })

  it("latency alone delays but keeps the answer", async () => {
    cloud.setFaults([
      { provider: "tencent", latencyMs: 50 },
      { provider: "alibaba", latencyMs: 50 }
    ])
    await expect(tkeKubeconfig()).resolves.toHaveProperty("Kubeconfig")
    await expect(ackKubeconfig()).resolves.toHaveProperty("statusCode", 200)
  })
})

describe("rule matching", () => {
  it("count limits how many requests a rule affects; action scopes it", async () => {
    cloud.setFaults([
      { provider: "tencent", action: "DescribeClusterKubeconfig", count: 2, error: { code: "InternalError" } }
    ])
    const client = Clients.tencent(cloud)
    await expect(client.DescribeClusters({})).resolves.toHaveProperty("TotalCount")
    expect((await Clients.thrown(() => tkeKubeconfig())).code).toBe("InternalError")
    expect((await Clients.thrown(() => tkeKubeconfig())).code).toBe("InternalError")
    await expect(tkeKubeconfig()).resolves.toHaveProperty("Kubeconfig")
  })

  it("rate 0 never fires, rate 1 always does", async () => {
    cloud.setFaults([{ provider: "alibaba", rate: 0, error: { code: "InternalError" } }])
    for (let i = 0; i < 5; i++) await expect(ackKubeconfig()).resolves.toHaveProperty("statusCode", 200)
    cloud.setFaults([{ provider: "alibaba", rate: 1, error: { code: "InternalError" } }])
    for (let i = 0; i < 5; i++) expect((await Clients.thrown(() => ackKubeconfig())).code).toBe("InternalError")
  })

  it("faults can be set and cleared through the control endpoint", async () => {
    const rules: Array<FaultRule> = [{ provider: "tencent", error: { code: "ServiceUnavailable" } }]
    const put = await fetch(`${cloud.control}/faults`, { method: "PUT", body: JSON.stringify(rules) })
    expect(put.status).toBe(200)
    expect((await Clients.thrown(() => tkeKubeconfig())).code).toBe("ServiceUnavailable")
    const cleared = await fetch(`${cloud.control}/faults`, { method: "DELETE" })
    expect(cleared.status).toBe(200)
    await expect(tkeKubeconfig()).resolves.toHaveProperty("Kubeconfig")
    const invalid = await fetch(`${cloud.control}/faults`, {
      method: "PUT",
      body: JSON.stringify([{ provider: "aws" }])
    })
    expect(invalid.status).toBe(400)
  })

  it("faults given at start apply from the first request", async () => {
    const other = await start({ faults: [{ provider: "alibaba", count: 1, error: { code: "ServiceUnavailable" } }] })
    try {
      const client = Clients.alibaba(other)
      const request = new Clients.Cs.DescribeClustersV1Request({})
      expect((await Clients.thrown(() => client.describeClustersV1(request))).code).toBe("ServiceUnavailable")
      await expect(client.describeClustersV1(request)).resolves.toHaveProperty("statusCode", 200)
      expect(other.stats().requests["alibaba:DescribeClustersV1"]).toBe(2)
    } finally {
      await other.stop()
    }
  })
})
