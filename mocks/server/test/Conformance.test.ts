/**
 * Conformance: the suite's SDK traffic through Prism 5.14.2 (in process, proxy mode, errors on) in front of the
 * mock, for every contract in mocks/contracts (TKE, ACK, and both STSs driven by the official credential providers). Any sl-violations header or Prism problem response fails.
 * Negative controls prove the check bites: wrong-shaped answers and undeclared statuses are flagged, and requests
 * the contract forbids are refused by Prism before they reach the mock.
 */
import OidcRoleArnProvider from "@alicloud/credentials/dist/src/providers/oidc_role_arn.js"
import RamRoleArnProvider from "@alicloud/credentials/dist/src/providers/ram_role_arn.js"
import StaticAkProvider from "@alicloud/credentials/dist/src/providers/static_ak.js"
import StaticStsProvider from "@alicloud/credentials/dist/src/providers/static_sts.js"
import { getHttpOperationsFromSpec } from "@stoplight/prism-http"
import { createServer } from "@stoplight/prism-http-server"
import { createLogger } from "@stoplight/prism-core"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { CommonClient, type Credential, STSCredential } from "tencentcloud-sdk-nodejs-common"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { startTencentRouter, type TencentRouter } from "../../contracts/prism/tencentRouter.mjs"
import { type MockCloud, start } from "../src/index.js"
import * as Clients from "./support/clients.js"
import { flagged, type RecordingProxy, startRecordingProxy } from "./support/recordingProxy.js"

const contract = (name: string) => fileURLToPath(new URL(`../../contracts/${name}`, import.meta.url))

let cloud: MockCloud
let tkeFront: RecordingProxy
let ackFront: RecordingProxy
let tkePrism: TencentRouter
let ackPrism: { close: () => Promise<void> }

beforeAll(async () => {
  tkeFront = await startRecordingProxy()
  ackFront = await startRecordingProxy()
  // ACS3 signs host:port; Prism rewrites Host to its upstream, so the mock accepts the front proxy's host too.
  cloud = await start({ tencentRateLimit: 10_000, alibabaRateLimit: 10_000, acceptedHosts: [ackFront.endpoint] })
  tkePrism = await startTencentRouter({
    spec: contract("tencent-tke.yaml"),
    resolveFrom: import.meta.url,
    upstream: cloud.tencent.endpoint,
    errors: true
  })
  const operations = await getHttpOperationsFromSpec(contract("alibaba-ack.yaml"))
  const server = createServer(operations, {
    cors: false,
    config: {
      validateRequest: true,
      validateResponse: true,
      checkSecurity: true,
      errors: true,
      upstreamProxy: undefined,
      mock: { dynamic: false },
      isProxy: true,
      upstream: new URL(cloud.alibaba.endpoint)
    },
    components: { logger: createLogger("ACK", { level: "silent" }) }
  })
  const address = await server.listen(0, "127.0.0.1")
  ackPrism = server
  tkeFront.upstream = tkePrism.url
  ackFront.upstream = address
})

afterAll(async () => {
  await tkeFront?.close()
  await ackFront?.close()
  await tkePrism?.close()
  await ackPrism?.close()
  await cloud?.stop()
})

beforeEach(() => {
  tkeFront.exchanges.length = 0
  ackFront.exchanges.length = 0
  cloud.setFaults([])
})

const tke = (options: Clients.TencentOptions = {}) =>
  Clients.tencent(cloud, { ...options, endpoint: tkeFront.endpoint })
const ack = (options: Clients.AlibabaOptions = {}) =>
  Clients.alibaba(cloud, { ...options, endpoint: ackFront.endpoint })
const settle = (call: () => Promise<unknown>) =>
  call().then(
    () => "ok",
    (error) => error?.code ?? error?.name ?? "error"
  )
const clean = (front: RecordingProxy) => {
  expect(front.exchanges.length).toBeGreaterThan(0)
  expect(
    flagged(front.exchanges).map((e) => `${e.action} ${e.status} ${e.headers["sl-violations"] ?? e.body}`)
  ).toEqual([])
}

const tkeRunning = () => cloud.tencent.clusters.find((c) => c.status === "Running")!.clusterId
const ackRunning = () => cloud.alibaba.clusters.find((c) => c.state === "running")!.clusterId
const ackKubeconfig = (fields: Record<string, unknown> = {}) =>
  new Clients.Cs.DescribeClusterUserKubeconfigRequest(fields)

describe("TKE contract (tencent-tke.yaml) through Prism proxy --errors", () => {
  it("the oracle variants conform", async () => {
    for (const options of [
      { method: "POST" as const },
      { method: "GET" as const },
      { method: "POST" as const, sts: true },
      { method: "GET" as const, sts: true, language: "en-US" as const }
    ]) {
      const client = tke(options)
      const kubeconfig = await client.DescribeClusterKubeconfig({ ClusterId: tkeRunning(), IsExtranet: true })
      expect(kubeconfig.Kubeconfig).toContain("apiVersion: v1")
      await client.DescribeClusterKubeconfig({ ClusterId: tkeRunning(), IsExtranet: false })
      let total = Number.POSITIVE_INFINITY
      for (let offset = 0; offset < total; offset += 10) {
        const page = await client.DescribeClusters({ Offset: offset, Limit: 10 })
        total = page.TotalCount!
      }
      await client.DescribeClusters({
        ClusterIds: [tkeRunning()],
        Filters: [{ Name: "ClusterStatus", Values: ["Running", "Abnormal"] }]
      })
      await client.DescribeClusters({ ClusterType: "INDEPENDENT_CLUSTER" })
      const regions = await client.DescribeRegions()
      expect(regions.RegionInstanceSet!.length).toBeGreaterThan(3)
      const endpoints = await client.DescribeClusterEndpoints({ ClusterId: tkeRunning() })
      expect(endpoints.ClusterExternalEndpoint).toMatch(/^https?:\/\//)
    }
    clean(tkeFront)
  })

  it("documented errors conform", async () => {
    const outcomes = [
      await settle(() => tke().DescribeClusterKubeconfig({ ClusterId: "cls-zzzzzzzz" })),
      await settle(() => tke().DescribeClusterKubeconfig({ ClusterId: "not-a-cluster" })),
      await settle(() =>
        tke().DescribeClusterKubeconfig({
          ClusterId: cloud.tencent.clusters.find((c) => c.status === "Abnormal")!.clusterId
        })
      ),
      await settle(() => tke({ secretKey: "wrong" }).DescribeClusters({})),
      await settle(() => tke({ secretId: "AKIDunknown" }).DescribeClusters({})),
      await settle(() => tke({ sts: true, token: "forged" }).DescribeClusters({})),
      await settle(() => tke({ region: "xx-nowhere-1" }).DescribeClusters({})),
      await settle(() => tke({ region: "ap-shanghai-fsi" }).DescribeClusters({})),
      await settle(() => tke().DescribeClusterEndpoints({ ClusterId: "cls-zzzzzzzz" }))
    ]
    expect(outcomes).toEqual([
      "ResourceNotFound.ClusterNotFound",
      "InvalidParameter.ClusterNotFound",
      "ResourceUnavailable.ClusterInAbnormalStat",
      "AuthFailure.SignatureFailure",
      "AuthFailure.SecretIdNotFound",
      "AuthFailure.TokenFailure",
      "UnsupportedRegion",
      "UnsupportedRegion",
      "ResourceNotFound.ClusterNotFound"
    ])
    try {
      cloud.setClock(10 * 60_000)
      expect(await settle(() => tke().DescribeClusters({}))).toBe("AuthFailure.SignatureExpire")
    } finally {
      cloud.setClock(0)
    }
    try {
      cloud.setRateLimit("tencent", 1)
      const burst = await Promise.all(Array.from({ length: 8 }, () => settle(() => tke().DescribeClusters({}))))
      expect(burst).toContain("RequestLimitExceeded")
    } finally {
      cloud.setRateLimit("tencent", 10_000)
    }
    for (const code of [
      "InternalError",
      "FailedOperation.KubeCommon",
      "UnauthorizedOperation.CamNoAuth",
      "RequestLimitExceeded"
    ]) {
      cloud.setFaults([{ provider: "tencent", error: { code } }])
      expect(await settle(() => tke().DescribeClusterKubeconfig({ ClusterId: tkeRunning() }))).toBe(code)
    }
    clean(tkeFront)
  })

  it("requests the contract forbids are refused by Prism (422) and never reach the mock", async () => {
    const before = cloud.stats().requests["tencent:DescribeClusters"] ?? 0
    await settle(() => tke().DescribeClusters({ Limit: 101 }))
    await settle(() => tke().DescribeClusters({ Bogus: 1 } as never))
    expect(tkeFront.exchanges.map((e) => e.status)).toEqual([422, 422])
    expect(cloud.stats().requests["tencent:DescribeClusters"] ?? 0).toBe(before)
  })

  it("negative controls: a wrong-shaped answer and an undeclared status are violations", async () => {
    cloud.setFaults([{ provider: "tencent", wrongShape: true }])
    await settle(() => tke().DescribeClusterKubeconfig({ ClusterId: tkeRunning() }))
    cloud.setFaults([
      { provider: "tencent", error: { code: "InternalError" }, count: 0 },
      { provider: "tencent", httpStatus: 502 }
    ])
    await settle(() => tke().DescribeClusters({}))
    expect(tkeFront.exchanges).toHaveLength(2)
    expect(flagged(tkeFront.exchanges)).toHaveLength(2)
    expect(tkeFront.exchanges[0]!.status).toBe(500)
    expect(tkeFront.exchanges[0]!.body).toContain("Kubeconfig")
  })
})

describe("ACK contract (alibaba-ack.yaml) through Prism proxy --errors", () => {
  it("the oracle variants conform", async () => {
    for (const options of [{}, { sts: true }, { v2: true }, { v2: true, sts: true }]) {
      const client = ack(options)
      const response = await client.describeClusterUserKubeconfig(ackRunning(), ackKubeconfig())
      expect(response.body?.config).toContain("apiVersion: v1")
      await client.describeClusterUserKubeconfig(ackRunning(), ackKubeconfig({ temporaryDurationMinutes: 15 }))
      await client.describeClusterUserKubeconfig(ackRunning(), ackKubeconfig({ privateIpAddress: true }))
      for (let page = 1; page <= 4; page++) {
        await client.describeClustersV1(new Clients.Cs.DescribeClustersV1Request({ pageNumber: page, pageSize: 4 }))
      }
      await client.describeClustersV1(
        new Clients.Cs.DescribeClustersV1Request({
          regionId: "cn-beijing",
          clusterType: "ManagedKubernetes",
          name: "edge"
        })
      )
    }
    clean(ackFront)
  })

  it("documented errors conform", async () => {
    const outcomes = [
      await settle(() => ack().describeClusterUserKubeconfig(`c${"0".repeat(32)}`, ackKubeconfig())),
      await settle(() =>
        ack().describeClusterUserKubeconfig(
          cloud.alibaba.clusters.find((c) => c.state === "failed")!.clusterId,
          ackKubeconfig()
        )
      ),
      await settle(() =>
        ack({ accessKeySecret: "wrong" }).describeClustersV1(new Clients.Cs.DescribeClustersV1Request({}))
      ),
      await settle(() =>
        ack({ v2: true, accessKeySecret: "wrong" }).describeClustersV1(new Clients.Cs.DescribeClustersV1Request({}))
      ),
      await settle(() =>
        ack({ accessKeyId: "LTAIunknown" }).describeClustersV1(new Clients.Cs.DescribeClustersV1Request({}))
      ),
      await settle(() =>
        ack({ sts: true, securityToken: "forged" }).describeClustersV1(new Clients.Cs.DescribeClustersV1Request({}))
      )
    ]
    expect(outcomes).toEqual([
      "ErrorClusterNotFound",
      "ErrorClusterState",
      "SignatureDoesNotMatch",
      "SignatureDoesNotMatch",
      "InvalidAccessKeyId.NotFound",
      "InvalidSecurityToken.MismatchWithAccessKey"
    ])
    const replay = ack({ headers: { "x-acs-signature-nonce": `conformance-${Date.now()}` } })
    expect(await settle(() => replay.describeClustersV1(new Clients.Cs.DescribeClustersV1Request({})))).toBe("ok")
    expect(await settle(() => replay.describeClustersV1(new Clients.Cs.DescribeClustersV1Request({})))).toBe(
      "SignatureNonceUsed"
    )
    try {
      cloud.setClock(-20 * 60_000)
      expect(await settle(() => ack().describeClustersV1(new Clients.Cs.DescribeClustersV1Request({})))).toBe(
        "InvalidTimeStamp.Expired"
      )
    } finally {
      cloud.setClock(0)
    }
    try {
      cloud.setRateLimit("alibaba", 1)
      const burst = await Promise.all(
        Array.from({ length: 8 }, () =>
          settle(() => ack().describeClustersV1(new Clients.Cs.DescribeClustersV1Request({})))
        )
      )
      expect(burst).toContain("Throttling.User")
    } finally {
      cloud.setRateLimit("alibaba", 10_000)
    }
    for (const code of ["ServiceUnavailable", "InternalError", "Forbidden.RAM", "ErrorCheckAcl", "Throttling.User"]) {
      cloud.setFaults([{ provider: "alibaba", error: { code, retryAfterMs: 100 } }])
      expect(await settle(() => ack().describeClusterUserKubeconfig(ackRunning(), ackKubeconfig()))).toBe(code)
    }
    clean(ackFront)
  })

  it("requests the contract forbids are refused by Prism (422) and never reach the mock", async () => {
    const before = cloud.stats().requests["alibaba:DescribeClusterUserKubeconfig"] ?? 0
    await settle(() =>
      ack().describeClusterUserKubeconfig(ackRunning(), ackKubeconfig({ temporaryDurationMinutes: 14 }))
    )
    await settle(() =>
      ack().describeClusterUserKubeconfig(ackRunning(), ackKubeconfig({ temporaryDurationMinutes: 4321 }))
    )
    expect(ackFront.exchanges.map((e) => e.status)).toEqual([422, 422])
    expect(cloud.stats().requests["alibaba:DescribeClusterUserKubeconfig"] ?? 0).toBe(before)
  })

  it("negative controls: a wrong-shaped answer and an undeclared status are violations", async () => {
    cloud.setFaults([
      { provider: "alibaba", wrongShape: true, count: 1 },
      { provider: "alibaba", httpStatus: 502 }
    ])
    await settle(() => ack().describeClusterUserKubeconfig(ackRunning(), ackKubeconfig()))
    await settle(() => ack().describeClusterUserKubeconfig(ackRunning(), ackKubeconfig()))
    expect(ackFront.exchanges).toHaveLength(2)
    expect(flagged(ackFront.exchanges)).toHaveLength(2)
  })
})

/** The official providers' STS traffic through Prism: STS contracts route like TKE's (virtual paths). */
describe("STS contracts (tencent-sts.yaml, alibaba-sts.yaml) through Prism proxy --errors", () => {
  let tkeStsFront: RecordingProxy
  let ackStsFront: RecordingProxy
  let tkeStsPrism: TencentRouter
  let ackStsPrism: TencentRouter

  beforeAll(async () => {
    tkeStsFront = await startRecordingProxy()
    ackStsFront = await startRecordingProxy()
    tkeStsPrism = await startTencentRouter({
      spec: contract("tencent-sts.yaml"),
      resolveFrom: import.meta.url,
      upstream: cloud.tencent.endpoint,
      errors: true
    })
    ackStsPrism = await startTencentRouter({
      spec: contract("alibaba-sts.yaml"),
      resolveFrom: import.meta.url,
      upstream: cloud.alibaba.endpoint,
      errors: true,
      actionFrom: "query"
    })
    tkeStsFront.upstream = tkeStsPrism.url
    ackStsFront.upstream = ackStsPrism.url
  })
  afterAll(async () => {
    await tkeStsFront?.close()
    await ackStsFront?.close()
    await tkeStsPrism?.close()
    await ackStsPrism?.close()
  })
  beforeEach(() => {
    tkeStsFront.exchanges.length = 0
    ackStsFront.exchanges.length = 0
  })

  const tkeRole = (name: string) => cloud.tencent.roles.find((r) => r.name === name)!.arn
  const ackRole = (name: string) => cloud.alibaba.roles.find((r) => r.name === name)!.arn
  const tencentKey = () => ({ secretId: cloud.tencent.secretId, secretKey: cloud.tencent.secretKey })
  /** What STSCredential and OIDCRoleArnCredential hand their CommonClient, aimed at the front over http. */
  const tkeStsConfig = (credential?: Credential) => ({
    ...(credential === undefined ? {} : { credential }),
    region: "ap-guangzhou",
    profile: { httpProfile: { endpoint: tkeStsFront.endpoint, protocol: "http://", reqTimeout: 10 } }
  })
  const tkeSts = (credential?: Credential) =>
    new CommonClient("sts.tencentcloudapi.com", "2018-08-13", tkeStsConfig(credential) as never)
  const webIdentity = (token: string, roleArn = tkeRole("kubecred-mock-role")) =>
    tkeSts().request(
      "AssumeRoleWithWebIdentity",
      {
        ProviderId: cloud.tencent.oidcProviders[0]!.id,
        WebIdentityToken: token,
        RoleArn: roleArn,
        RoleSessionName: `tencentcloud-node-sdk-${Date.now() * 1000}`
      },
      { skipSign: true }
    )

  /** An official Alibaba provider whose https request goes, unchanged but for TLS, to the front. */
  const viaFront = <P>(provider: P): P => {
    const open = provider as unknown as { doRequest: (request: any) => Promise<any> }
    const original = open.doRequest
    open.doRequest = (request) => {
      request.protocol = "http"
      request.host = ackStsFront.endpoint
      return original(request)
    }
    return provider
  }
  const ramRoleArn = (
    roleArn: string,
    base: { accessKeyId: string; accessKeySecret: string; securityToken?: string }
  ) =>
    viaFront(
      RamRoleArnProvider.builder()
        .withCredentialsProvider(
          base.securityToken === undefined
            ? StaticAkProvider.builder()
                .withAccessKeyId(base.accessKeyId)
                .withAccessKeySecret(base.accessKeySecret)
                .build()
            : StaticStsProvider.builder()
                .withAccessKeyId(base.accessKeyId)
                .withAccessKeySecret(base.accessKeySecret)
                .withSecurityToken(base.securityToken)
                .build()
        )
        .withRoleArn(roleArn)
        .withRoleSessionName("conformance")
        .withStsEndpoint("sts.aliyuncs.com")
        .build()
    ).getCredentials()
  const rrsa = async (token: string, roleArn = ackRole("kubecred-mock-role")) => {
    const path = join(mkdtempSync(join(tmpdir(), "kubecred-rrsa-")), "token")
    writeFileSync(path, token)
    return viaFront(
      OidcRoleArnProvider.builder()
        .withRoleArn(roleArn)
        .withOIDCProviderArn(cloud.alibaba.oidcProviders[0]!.id)
        .withOIDCTokenFilePath(path)
        .withStsEndpoint("sts.aliyuncs.com")
        .build()
    ).getCredentials()
  }
  const aliyunKey = () => ({ accessKeyId: cloud.alibaba.accessKeyId, accessKeySecret: cloud.alibaba.accessKeySecret })

  it("Tencent: AssumeRole (key, then chained) and AssumeRoleWithWebIdentity conform, and so do their errors", async () => {
    const first = await new STSCredential(tkeStsConfig(tencentKey()) as never, {
      RoleArn: tkeRole("kubecred-mock-role"),
      RoleSessionName: "conformance"
    }).getCredential()
    await new STSCredential(tkeStsConfig(first) as never, {
      RoleArn: tkeRole("kubecred-mock-role"),
      RoleSessionName: "conformance-2",
      DurationSeconds: 900
    }).getCredential()
    const audience = "sts.cloud.tencent.com"
    await webIdentity(await cloud.mintOidcToken({ audience, subject: "system:serviceaccount:default:app" }))
    const outcomes = [
      await settle(() =>
        tkeSts(tencentKey()).request("AssumeRole", {
          RoleArn: tkeRole("kubecred-mock-oidc-only"),
          RoleSessionName: "c1"
        })
      ),
      await settle(() =>
        tkeSts({ ...tencentKey(), secretKey: "wrong" }).request("AssumeRole", {
          RoleArn: tkeRole("kubecred-mock-role"),
          RoleSessionName: "c1"
        })
      ),
      await settle(async () =>
        webIdentity(await cloud.mintOidcToken({ audience, subject: "a", expiresInSeconds: -60 }))
      ),
      await settle(async () =>
        webIdentity(await cloud.mintOidcToken({ audience, subject: "a" }), tkeRole("kubecred-mock-key-only"))
      )
    ]
    expect(outcomes).toEqual([
      "UnauthorizedOperation",
      "AuthFailure.SignatureFailure",
      "InvalidParameter.WebIdentityTokenError",
      "UnauthorizedOperation"
    ])
    await cloud.expireStsSessions(first.secretId)
    expect(
      await settle(() =>
        tkeSts(first).request("AssumeRole", { RoleArn: tkeRole("kubecred-mock-role"), RoleSessionName: "c1" })
      )
    ).toBe("AuthFailure.TokenFailure")
    clean(tkeStsFront)
  })

  it("Alibaba: AssumeRole (key, then chained) and AssumeRoleWithOIDC conform, and so do their errors", async () => {
    const first = await ramRoleArn(ackRole("kubecred-mock-role"), aliyunKey())
    await ramRoleArn(ackRole("kubecred-mock-role"), first)
    const audience = "sts.aliyuncs.com"
    await rrsa(await cloud.mintOidcToken({ audience, subject: "system:serviceaccount:default:app" }))
    const outcomes = [
      await settle(() => ramRoleArn(ackRole("kubecred-mock-oidc-only"), aliyunKey())),
      await settle(() => ramRoleArn(`${ackRole("kubecred-mock-role")}-nope`, aliyunKey())),
      await settle(() => ramRoleArn(ackRole("kubecred-mock-role"), { ...aliyunKey(), accessKeySecret: "wrong" })),
      await settle(async () => rrsa(await cloud.mintOidcToken({ audience, subject: "a", expiresInSeconds: -60 }))),
      await settle(async () =>
        rrsa(await cloud.mintOidcToken({ audience, subject: "a" }), ackRole("kubecred-mock-key-only"))
      )
    ]
    expect(outcomes).toHaveLength(5)
    expect(ackStsFront.exchanges.map((e) => e.status)).toEqual([200, 200, 200, 403, 404, 400, 401, 401])
    expect(ackStsFront.exchanges.slice(3).map((e) => JSON.parse(e.body).Code)).toEqual([
      "NoPermission",
      "EntityNotExist.Role",
      "SignatureDoesNotMatch",
      "AuthenticationFail.OIDCToken.Expired",
      "AuthenticationFail.NoPermission"
    ])
    clean(ackStsFront)
  })

  it("requests the STS contracts forbid are refused by Prism (422) and never reach the mock", async () => {
    const before = cloud.stats().requests
    await settle(() =>
      tkeSts(tencentKey()).request("AssumeRole", { RoleArn: tkeRole("kubecred-mock-role"), RoleSessionName: "a" })
    )
    await settle(() =>
      tkeSts(tencentKey()).request("AssumeRole", {
        RoleArn: tkeRole("kubecred-mock-role"),
        RoleSessionName: "ok-name",
        DurationSeconds: 43201
      })
    )
    await settle(() => ramRoleArn("not-an-arn", aliyunKey()))
    expect(tkeStsFront.exchanges.map((e) => e.status)).toEqual([422, 422])
    expect(ackStsFront.exchanges.map((e) => e.status)).toEqual([422])
    const after = cloud.stats().requests
    expect(after["tencent:AssumeRole"]).toBe(before["tencent:AssumeRole"])
    expect(after["alibaba:AssumeRole"]).toBe(before["alibaba:AssumeRole"])
  })

  it("negative controls: wrong-shaped STS answers are violations", async () => {
    cloud.setFaults([
      { provider: "tencent", action: "AssumeRole", wrongShape: true, count: 1 },
      { provider: "alibaba", action: "AssumeRole", wrongShape: true, count: 1 }
    ])
    await settle(() =>
      tkeSts(tencentKey()).request("AssumeRole", { RoleArn: tkeRole("kubecred-mock-role"), RoleSessionName: "c1" })
    )
    await settle(() => ramRoleArn(ackRole("kubecred-mock-role"), aliyunKey()))
    expect(flagged(tkeStsFront.exchanges)).toHaveLength(1)
    expect(flagged(ackStsFront.exchanges)).toHaveLength(1)
  })
})
