/** Tencent Cloud TKE API 3.0 (`POST /` or `GET /?...`, action in X-TC-Action): docs/contracts/tke.md. */
import { Effect } from "effect"
import { CertificateIssuer } from "./certificateIssuer.js"
import { type TencentCluster, ClusterStore } from "./clusterStore.js"
import { ControlState } from "./controlState.js"
import { Credentials, type Identity } from "./credentials.js"
import { Endpoints } from "./endpoints.js"
import { hashByte, isTkeClusterId, requestId } from "./ids.js"
import * as Kubeconfig from "./kubeconfig.js"
import { Pki, serverName } from "./pki.js"
import { RateLimiter } from "./rateLimiter.js"
import { json, type Reply, type RequestFacts } from "./reply.js"
import * as Tc3 from "./tc3.js"
import { tencentMessage } from "./tencentErrors.js"

export const ACTIONS = [
  "DescribeClusterKubeconfig",
  "DescribeClusters",
  "DescribeRegions",
  "DescribeClusterEndpoints"
] as const
export const VERSION = "2018-05-25"
const SKEW_SECONDS = 300

/** Regions TKE serves; fixture regions are added to these. */
const REGIONS = [
  "ap-guangzhou",
  "ap-shanghai",
  "ap-beijing",
  "ap-chengdu",
  "ap-chongqing",
  "ap-nanjing",
  "ap-hongkong",
  "ap-singapore",
  "ap-tokyo",
  "ap-seoul",
  "ap-bangkok",
  "ap-jakarta",
  "ap-mumbai",
  "na-siliconvalley",
  "na-ashburn",
  "eu-frankfurt",
  "sa-saopaulo"
]

/**
 * Finance regions: DescribeRegions lists them, but they need their own endpoint (tke.<region>.tencentcloudapi.com)
 * and an approved account, so every other action refuses them here with UnsupportedRegion, as for an account that
 * may not use them.
 */
const LISTED_ONLY = ["ap-shanghai-fsi", "ap-shenzhen-fsi"]

/** Statuses in which the API server is reachable and kubeconfigs are handed out. */
const USABLE = new Set(["Running", "Scaling", "Upgrading", "NodeUpgrading", "RuntimeUpgrading", "MasterScaling"])

export class TkeError {
  constructor(
    readonly code: string,
    readonly message: string = tencentMessage(code)
  ) {}
}

/** The TKE envelope: always HTTP 200, `X-TC-TraceId` echoed. */
export const envelope = (facts: RequestFacts, response: Record<string, unknown>): Reply =>
  json(200, { Response: { ...response, RequestId: requestId() } }, traceHeader(facts))

export const errorEnvelope = (facts: RequestFacts, code: string, message = tencentMessage(code)): Reply =>
  envelope(facts, { Error: { Code: code, Message: message } })

const traceHeader = (facts: RequestFacts): Record<string, string> => {
  const trace = facts.headers["x-tc-traceid"]
  return trace === undefined ? {} : { "X-TC-TraceId": trace }
}

/** The action a request names, for routing, stats and faults. */
export const actionOf = (facts: RequestFacts): string => {
  const header = facts.headers["x-tc-action"]
  if (header !== undefined) return header
  const legacy = legacyParams(facts).get("Action")
  return legacy ?? "unknown"
}

const legacyParams = (facts: RequestFacts): URLSearchParams =>
  new URLSearchParams(facts.method === "GET" ? facts.rawQuery : Buffer.from(facts.body).toString("utf8"))

/** `a.0.b=1` style GET parameters back into objects and arrays. */
export const unflatten = (pairs: Iterable<[string, string]>): Record<string, unknown> => {
  const root: Record<string, unknown> = {}
  for (const [key, value] of pairs) {
    const parts = key.split(".")
    let node: any = root
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!
      const last = i === parts.length - 1
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]!)
      if (last) node[part] = value
      else node = node[part] ??= nextIsIndex ? [] : {}
    }
  }
  return root
}

const hostnameOf = (host: string): string =>
  host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0]!

/** TC3 verification, token and expiry of STS sessions, throttling: shared by TKE and the mock STS. */
export const authenticate = (facts: RequestFacts, action: string, perSecond?: number) =>
  Effect.gen(function* () {
    const control = yield* ControlState
    const credentials = yield* Credentials
    const header = facts.headers.authorization
    if (header === undefined || header === "") {
      return yield* Effect.fail(
        new TkeError("AuthFailure.InvalidAuthorization", "The Authorization header is missing.")
      )
    }
    const auth = Tc3.parseAuthorization(header)
    if (!auth) {
      return yield* Effect.fail(
        new TkeError("AuthFailure.InvalidAuthorization", "The Authorization header is not TC3-HMAC-SHA256.")
      )
    }
    const timestampText = facts.headers["x-tc-timestamp"] ?? ""
    if (!/^\d+$/.test(timestampText)) {
      return yield* Effect.fail(new TkeError("MissingParameter", "The request is missing a valid X-TC-Timestamp."))
    }
    const timestamp = Number(timestampText)
    const now = Math.floor((yield* control.now) / 1000)
    if (Math.abs(now - timestamp) > SKEW_SECONDS) return yield* Effect.fail(new TkeError("AuthFailure.SignatureExpire"))
    const identity = credentials.findTencent(auth.secretId)
    if (!identity) return yield* Effect.fail(new TkeError("AuthFailure.SecretIdNotFound"))
    const token = facts.headers["x-tc-token"]
    if ((identity.token ?? "") !== (token ?? "")) return yield* Effect.fail(new TkeError("AuthFailure.TokenFailure"))
    if (identity.expiresAt !== undefined && (yield* control.now) >= identity.expiresAt) {
      return yield* Effect.fail(new TkeError("AuthFailure.TokenFailure", "The token has expired."))
    }
    if (auth.date !== Tc3.dateOf(timestamp) || !auth.signedHeaders.includes("host")) {
      return yield* Effect.fail(new TkeError("AuthFailure.SignatureFailure"))
    }
    const hosts = [facts.headers.host ?? "", ...control.acceptedHosts].map(hostnameOf)
    const verified = hosts.some((hostname) =>
      Tc3.verify(identity.secret, auth, {
        method: facts.method,
        rawQuery: facts.rawQuery,
        headers: facts.headers,
        body: facts.body,
        hostname,
        timestamp: timestampText
      })
    )
    if (!verified) return yield* Effect.fail(new TkeError("AuthFailure.SignatureFailure"))
    const limiter = yield* RateLimiter
    const limit = perSecond ?? control.rateLimit("tencent")
    const decision = yield* limiter.check(`tencent|${identity.keyId}|${action}`, limit)
    if (!decision.allowed) {
      return yield* Effect.fail(
        new TkeError(
          "RequestLimitExceeded",
          `Your current request times equals to \`${decision.count}\` in a second, which exceeds the frequency limit \`${limit}\` for a second. Please reduce the frequency of calls.`
        )
      )
    }
    return identity
  })

/** The action's parameters: the JSON body (POST) or the flattened query (GET). */
export const readParams = (facts: RequestFacts): Effect.Effect<Record<string, unknown>, TkeError> => {
  if (facts.method === "GET") {
    return Effect.succeed(unflatten(new URLSearchParams(facts.rawQuery)))
  }
  const text = Buffer.from(facts.body).toString("utf8")
  if (text.trim() === "") return Effect.succeed({})
  return Effect.try({
    try: () => JSON.parse(text) as unknown,
    catch: () => new TkeError("InvalidParameter", "The request body is not valid JSON.")
  }).pipe(
    Effect.filterOrFail(
      (value): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value),
      () => new TkeError("InvalidParameter", "The request body must be a JSON object.")
    )
  )
}

export const onlyKnown = (params: Record<string, unknown>, known: ReadonlyArray<string>) => {
  for (const key of Object.keys(params)) {
    if (!known.includes(key))
      return Effect.fail(new TkeError("UnknownParameter", `The parameter \`${key}\` is not recognized.`))
  }
  return Effect.void
}

const asBoolean = (name: string, value: unknown): Effect.Effect<boolean | undefined, TkeError> => {
  if (value === undefined || typeof value === "boolean") return Effect.succeed(value)
  if (value === "true" || value === "false") return Effect.succeed(value === "true")
  return Effect.fail(new TkeError("InvalidParameterValue", `The value of \`${name}\` must be a boolean.`))
}

const asInteger = (name: string, value: unknown): Effect.Effect<number | undefined, TkeError> => {
  if (value === undefined) return Effect.succeed(undefined)
  const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value
  if (typeof number === "number" && Number.isInteger(number)) return Effect.succeed(number)
  return Effect.fail(new TkeError("InvalidParameterValue", `The value of \`${name}\` must be an integer.`))
}

const asStrings = (name: string, value: unknown): Effect.Effect<ReadonlyArray<string> | undefined, TkeError> => {
  if (value === undefined) return Effect.succeed(undefined)
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return Effect.succeed(value)
  return Effect.fail(new TkeError("InvalidParameterValue", `The value of \`${name}\` must be an array of strings.`))
}

const regionOf = (facts: RequestFacts, required: boolean) =>
  Effect.gen(function* () {
    const store = yield* ClusterStore
    const region = facts.headers["x-tc-region"]
    if (region === undefined || region === "") {
      if (required)
        return yield* Effect.fail(
          new TkeError("MissingParameter", "The request is missing a required parameter `Region`.")
        )
      return undefined
    }
    if (!REGIONS.includes(region) && !store.tencent.some((c) => c.region === region)) {
      return yield* Effect.fail(new TkeError("UnsupportedRegion", `The region \`${region}\` is not supported.`))
    }
    return region
  })

const privateServer = (clusterId: string): string =>
  `https://10.${hashByte(clusterId, 0)}.${hashByte(clusterId, 1)}.${1 + (hashByte(clusterId, 2) % 254)}:443`

const describeClusterKubeconfig = (facts: RequestFacts, identity: Identity, params: Record<string, unknown>) =>
  Effect.gen(function* () {
    yield* onlyKnown(params, ["ClusterId", "IsExtranet"])
    const region = yield* regionOf(facts, false)
    const clusterId = params.ClusterId
    if (clusterId === undefined || clusterId === "") {
      return yield* Effect.fail(
        new TkeError("MissingParameter", "The request is missing a required parameter `ClusterId`.")
      )
    }
    if (typeof clusterId !== "string") {
      return yield* Effect.fail(new TkeError("InvalidParameter.Param", "The value of `ClusterId` must be a string."))
    }
    const extranet = (yield* asBoolean("IsExtranet", params.IsExtranet)) ?? false
    if (!isTkeClusterId(clusterId)) {
      return yield* Effect.fail(
        new TkeError("InvalidParameter.ClusterNotFound", `Cluster ${clusterId} does not exist.`)
      )
    }
    const store = yield* ClusterStore
    const cluster = store.findTencent(clusterId)
    if (!cluster || cluster.status === "Deleted" || (region !== undefined && cluster.region !== region)) {
      return yield* Effect.fail(new TkeError("ResourceNotFound.ClusterNotFound", `Cluster ${clusterId} not found.`))
    }
    if (!USABLE.has(cluster.status)) {
      return yield* Effect.fail(
        new TkeError(
          "ResourceUnavailable.ClusterInAbnormalStat",
          `Cluster ${clusterId} is in status ${cluster.status}.`
        )
      )
    }
    const issuer = yield* CertificateIssuer
    const pki = yield* Pki
    const endpoints = yield* Endpoints
    const cert = yield* issuer.tencent(cluster.clusterId, identity)
    const caPem = yield* pki.caPem("tencent", cluster.clusterId)
    const user = identity.accountId
    const config = Kubeconfig.render({
      clusterName: cluster.clusterId,
      userName: user,
      contextName: `${cluster.clusterId}-${user}-context-default`,
      server: extranet ? endpoints.apiserver : privateServer(cluster.clusterId),
      tlsServerName: extranet ? serverName("tencent", cluster.clusterId) : undefined,
      caPem,
      certPem: cert.certPem,
      keyPem: cert.keyPem
    })
    return { Kubeconfig: config }
  })

const FILTERS: Record<string, (cluster: TencentCluster, values: ReadonlyArray<string>) => boolean> = {
  ClusterName: (c, values) => values.includes(c.name),
  ClusterType: (c, values) => values.includes(c.type),
  ClusterStatus: (c, values) => values.includes(c.status),
  "vpc-id": (c, values) => values.includes(c.vpcId),
  "tag-key": (c, values) => values.some((v) => v in c.tags),
  "tag-value": (c, values) => Object.values(c.tags).some((v) => values.includes(v)),
  Tags: (c, values) => values.some((v) => Object.entries(c.tags).some(([k, t]) => v === `${k}:${t}` || v === k))
}

export const clusterView = (cluster: TencentCluster) => ({
  ClusterId: cluster.clusterId,
  ClusterName: cluster.name,
  ClusterDescription: "",
  ClusterVersion: cluster.version,
  ClusterOs: "tlinux3.1x86_64",
  ClusterType: cluster.type,
  ClusterNetworkSettings: {
    ClusterCIDR: "172.16.0.0/16",
    IgnoreClusterCIDRConflict: false,
    MaxNodePodNum: 64,
    MaxClusterServiceNum: 1024,
    Ipvs: true,
    VpcId: cluster.vpcId,
    Cni: true,
    KubeProxyMode: "ipvs",
    ServiceCIDR: "172.17.0.0/20",
    IsDualStack: false
  },
  ClusterNodeNum: cluster.nodeCount,
  ProjectId: 0,
  TagSpecification: [
    {
      ResourceType: "cluster",
      Tags: Object.entries(cluster.tags).map(([Key, Value]) => ({ Key, Value }))
    }
  ],
  ClusterStatus: cluster.status,
  Property: JSON.stringify({ NodeNameType: "lan-ip", NetworkType: "GR" }),
  ClusterMaterNodeNum: cluster.type === "INDEPENDENT_CLUSTER" ? 3 : 0,
  ImageId: "img-eb30mz89",
  OsCustomizeType: "GENERAL",
  ContainerRuntime: "containerd",
  CreatedTime: cluster.createdTime,
  DeletionProtection: false,
  EnableExternalNode: false,
  ClusterLevel: "L5",
  AutoUpgradeClusterLevel: false,
  QGPUShareEnable: false,
  RuntimeVersion: "1.6.9",
  ClusterEtcdNodeNum: cluster.type === "INDEPENDENT_CLUSTER" ? 3 : 0,
  CdcId: "",
  IsHighAvailability: true,
  ClusterCategory: "regular"
})

const describeClusters = (facts: RequestFacts, params: Record<string, unknown>) =>
  Effect.gen(function* () {
    yield* onlyKnown(params, ["ClusterIds", "Offset", "Limit", "Filters", "ClusterType"])
    const region = yield* regionOf(facts, true)
    const ids = yield* asStrings("ClusterIds", params.ClusterIds)
    const offset = (yield* asInteger("Offset", params.Offset)) ?? 0
    const limit = (yield* asInteger("Limit", params.Limit)) ?? 20
    if (offset < 0) return yield* Effect.fail(new TkeError("InvalidParameter.Param", "Offset must not be negative."))
    if (limit < 1 || limit > 100)
      return yield* Effect.fail(new TkeError("InvalidParameter.Param", "Limit must be between 1 and 100."))
    const type = params.ClusterType
    if (type !== undefined && type !== "MANAGED_CLUSTER" && type !== "INDEPENDENT_CLUSTER") {
      return yield* Effect.fail(
        new TkeError("InvalidParameterValue", "ClusterType must be MANAGED_CLUSTER or INDEPENDENT_CLUSTER.")
      )
    }
    const filters: Array<(c: TencentCluster) => boolean> = []
    if (params.Filters !== undefined) {
      if (!Array.isArray(params.Filters))
        return yield* Effect.fail(new TkeError("InvalidParameterValue", "Filters must be an array."))
      for (const filter of params.Filters as ReadonlyArray<any>) {
        const name = filter?.Name
        const values = yield* asStrings("Filters.Values", filter?.Values)
        const test = typeof name === "string" ? FILTERS[name] : undefined
        if (!test || values === undefined) {
          return yield* Effect.fail(
            new TkeError("InvalidParameter.Param", `Filter \`${String(name)}\` is not supported.`)
          )
        }
        filters.push((c) => test(c, values))
      }
    }
    const store = yield* ClusterStore
    const matching = store.tencent.filter(
      (c) =>
        c.region === region &&
        c.status !== "Deleted" &&
        (ids === undefined || ids.length === 0 || ids.includes(c.clusterId)) &&
        (type === undefined || c.type === type) &&
        filters.every((f) => f(c))
    )
    return { TotalCount: matching.length, Clusters: matching.slice(offset, offset + limit).map(clusterView) }
  })

/**
 * DescribeRegions (Region not required): every region TKE serves, the fixtures' regions and the finance regions.
 * The SDK's RegionInstance: RegionName is the region id, RegionId a number, Status `alluser` when every account
 * sees it. The numbers here are the list's order, not Tencent's own ids.
 */
const describeRegions = (params: Record<string, unknown>) =>
  Effect.gen(function* () {
    yield* onlyKnown(params, [])
    const store = yield* ClusterStore
    const names = [...new Set([...REGIONS, ...store.tencent.map((c) => c.region), ...LISTED_ONLY])]
    return {
      TotalCount: names.length,
      RegionInstanceSet: names.map((name, i) => ({
        RegionName: name,
        RegionId: i + 1,
        Status: LISTED_ONLY.includes(name) ? "whitelist" : "alluser",
        FeatureGates: "",
        Alias: name.split("-").slice(1).join("-"),
        Remark: ""
      }))
    }
  })

/**
 * DescribeClusterEndpoints: the API server's addresses. The public one is the kube-apiserver stub (as in the public
 * kubeconfig), the private one the VPC address of the private kubeconfig; ClusterDomain is the TLS server name.
 */
const describeClusterEndpoints = (facts: RequestFacts, params: Record<string, unknown>) =>
  Effect.gen(function* () {
    yield* onlyKnown(params, ["ClusterId"])
    yield* regionOf(facts, true)
    const region = facts.headers["x-tc-region"]
    const clusterId = params.ClusterId
    if (clusterId === undefined || clusterId === "") {
      return yield* Effect.fail(
        new TkeError("MissingParameter", "The request is missing a required parameter `ClusterId`.")
      )
    }
    if (typeof clusterId !== "string" || !isTkeClusterId(clusterId)) {
      return yield* Effect.fail(new TkeError("InvalidParameter.Param", "The value of `ClusterId` is not a cluster id."))
    }
    const store = yield* ClusterStore
    const cluster = store.findTencent(clusterId)
    if (!cluster || cluster.status === "Deleted" || cluster.region !== region) {
      return yield* Effect.fail(new TkeError("ResourceNotFound.ClusterNotFound", `Cluster ${clusterId} not found.`))
    }
    const pki = yield* Pki
    const endpoints = yield* Endpoints
    const domain = serverName("tencent", cluster.clusterId)
    return {
      CertificationAuthority: yield* pki.caPem("tencent", cluster.clusterId),
      ClusterExternalEndpoint: endpoints.apiserver,
      ClusterIntranetEndpoint: privateServer(cluster.clusterId),
      ClusterDomain: domain,
      ClusterExternalACL: ["0.0.0.0/0"],
      ClusterExternalDomain: domain,
      ClusterIntranetDomain: domain,
      SecurityGroup: "",
      ClusterIntranetSubnetId: `subnet-${cluster.vpcId.slice(4)}`,
      IntranetSecurityGroup: ""
    }
  })

/** Verifies, throttles and answers one TKE request. */
export const handle = (facts: RequestFacts, action: string) =>
  Effect.gen(function* () {
    if (facts.headers["x-tc-action"] === undefined) {
      if (action !== "unknown") {
        return yield* Effect.fail(
          new TkeError(
            "AuthFailure.SignatureFailure",
            "This mock verifies TC3-HMAC-SHA256 only; legacy HmacSHA1/HmacSHA256 signing is not supported."
          )
        )
      }
      return yield* Effect.fail(
        new TkeError("MissingParameter", "The request is missing a required parameter `Action`.")
      )
    }
    if (!(ACTIONS as ReadonlyArray<string>).includes(action)) {
      return yield* Effect.fail(new TkeError("InvalidAction", `The requested action \`${action}\` does not exist.`))
    }
    if (facts.headers["x-tc-version"] !== VERSION) {
      return yield* Effect.fail(
        new TkeError(
          "NoSuchVersion",
          `The requested version \`${facts.headers["x-tc-version"] ?? ""}\` does not exist.`
        )
      )
    }
    const identity = yield* authenticate(facts, action)
    const params = yield* readParams(facts)
    const response =
      action === "DescribeClusterKubeconfig"
        ? yield* describeClusterKubeconfig(facts, identity, params)
        : action === "DescribeRegions"
          ? yield* describeRegions(params)
          : action === "DescribeClusterEndpoints"
            ? yield* describeClusterEndpoints(facts, params)
            : yield* describeClusters(facts, params)
    return envelope(facts, response)
  }).pipe(
    Effect.catchIf(
      (e): e is TkeError => e instanceof TkeError,
      (e) => Effect.succeed(errorEnvelope(facts, e.code, e.message))
    )
  )

/** 200 JSON that lacks the fields the action promises. */
export const wrongShape = (facts: RequestFacts): Reply =>
  json(200, { Response: { RequestId: requestId() } }, traceHeader(facts))
