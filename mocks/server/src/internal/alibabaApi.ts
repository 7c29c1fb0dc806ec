/** Alibaba Cloud ACK (CS 2015-12-15, ROA): `GET /k8s/{id}/user_config`, `GET /api/v1/clusters`: docs/contracts/ack.md. */
import { Effect } from "effect"
import { createHash } from "node:crypto"
import * as Acs from "./acs3.js"
import { alibabaError } from "./alibabaErrors.js"
import { CertificateIssuer } from "./certificateIssuer.js"
import { type AlibabaCluster, ClusterStore } from "./clusterStore.js"
import { ControlState } from "./controlState.js"
import { Credentials, type Identity } from "./credentials.js"
import { Endpoints } from "./endpoints.js"
import { ackRequestId, hashByte } from "./ids.js"
import * as Kubeconfig from "./kubeconfig.js"
import { NonceCache } from "./nonceCache.js"
import { Pki, serverName } from "./pki.js"
import { RateLimiter } from "./rateLimiter.js"
import { json, type Reply, type RequestFacts } from "./reply.js"

export const VERSION = "2015-12-15"
const SKEW_MS = 15 * 60 * 1000

/** States in which the API server is reachable and kubeconfigs are handed out. */
const USABLE = new Set(["running", "updating", "upgrading", "scaling", "waiting"])

export class AckError {
  constructor(
    readonly code: string,
    readonly message?: string,
    readonly retryAfterMs?: number
  ) {}
}

const fail = (code: string, message?: string, retryAfterMs?: number) =>
  Effect.fail(new AckError(code, message, retryAfterMs))

const USER_CONFIG = /^\/k8s\/([^/]+)\/user_config$/

/** The action a path names (undefined: not an ACK path). */
export const actionOf = (path: string): string | undefined => {
  if (USER_CONFIG.test(path)) return "DescribeClusterUserKubeconfig"
  if (path === "/api/v1/clusters") return "DescribeClustersV1"
  return undefined
}

export const isAlibabaPath = (path: string): boolean => path.startsWith("/k8s/") || path.startsWith("/api/v1/clusters")

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex")

interface Caller {
  readonly identity: Identity
  readonly nonce: string
}

/** The security token a request carries against the identity's; sessions the mock STS issued also expire. */
export const checkToken = (token: string | undefined, identity: Identity, now: number) => {
  if (identity.token === undefined) {
    return token === undefined ? Effect.void : fail("InvalidSecurityToken.MismatchWithAccessKey")
  }
  if (token === undefined || token === "")
    return fail("InvalidSecurityToken.Malformed", "The security token is missing.")
  if (token !== identity.token) return fail("InvalidSecurityToken.MismatchWithAccessKey")
  return identity.expiresAt !== undefined && now >= identity.expiresAt
    ? fail("InvalidSecurityToken.Expired")
    : Effect.void
}

const authenticateV3 = (facts: RequestFacts, header: string) =>
  Effect.gen(function* () {
    const control = yield* ControlState
    const credentials = yield* Credentials
    const auth = Acs.parseV3(header)
    if (!auth)
      return yield* fail("IncompleteSignature", "The Authorization header is not a valid ACS3-HMAC-SHA256 header.")
    const date = facts.headers["x-acs-date"] ?? ""
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(date) || Number.isNaN(Date.parse(date))) {
      return yield* fail("InvalidTimeStamp.Format")
    }
    if (Math.abs((yield* control.now) - Date.parse(date)) > SKEW_MS) return yield* fail("InvalidTimeStamp.Expired")
    const nonce = facts.headers["x-acs-signature-nonce"]
    if (nonce === undefined || nonce === "")
      return yield* fail("IncompleteSignature", "x-acs-signature-nonce is missing.")
    const stsKey = facts.headers["x-acs-accesskey-id"]
    if (stsKey !== undefined && stsKey !== auth.accessKeyId)
      return yield* fail("InvalidSecurityToken.MismatchWithAccessKey")
    const identity = credentials.findAlibaba(auth.accessKeyId)
    if (!identity) return yield* fail("InvalidAccessKeyId.NotFound")
    yield* checkToken(facts.headers["x-acs-security-token"], identity, yield* control.now)
    const required = ["host", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"]
    for (const name of ["x-acs-security-token", "x-acs-accesskey-id"]) {
      if (facts.headers[name] !== undefined) required.push(name)
    }
    const missing = required.find((name) => !auth.signedHeaders.includes(name))
    if (missing !== undefined) return yield* fail("IncompleteSignature", `The header ${missing} must be signed.`)
    if (facts.headers["x-acs-content-sha256"] !== sha256(facts.body)) {
      return yield* fail("SignatureDoesNotMatch", "x-acs-content-sha256 does not match the request body.")
    }
    const request = {
      method: facts.method,
      rawPath: facts.path,
      query: Acs.parseQuery(facts.rawQuery),
      headers: facts.headers
    }
    const hosts = [facts.headers.host ?? "", ...control.acceptedHosts]
    if (!hosts.some((host) => Acs.verifyV3(identity.secret, auth, { ...request, host }))) {
      return yield* fail("SignatureDoesNotMatch")
    }
    return { identity, nonce } satisfies Caller
  })

const authenticateV2 = (facts: RequestFacts, header: string) =>
  Effect.gen(function* () {
    const control = yield* ControlState
    const credentials = yield* Credentials
    const auth = Acs.parseV2(header)
    if (!auth)
      return yield* fail("IncompleteSignature", "The Authorization header is not a valid `acs AK:signature` header.")
    const date = Date.parse(facts.headers.date ?? "")
    if (Number.isNaN(date)) return yield* fail("InvalidTimeStamp.Format")
    if (Math.abs((yield* control.now) - date) > SKEW_MS) return yield* fail("InvalidTimeStamp.Expired")
    const nonce = facts.headers["x-acs-signature-nonce"]
    if (nonce === undefined || nonce === "")
      return yield* fail("IncompleteSignature", "x-acs-signature-nonce is missing.")
    const identity = credentials.findAlibaba(auth.accessKeyId)
    if (!identity) return yield* fail("InvalidAccessKeyId.NotFound")
    yield* checkToken(facts.headers["x-acs-security-token"], identity, yield* control.now)
    const request = {
      method: facts.method,
      rawPath: facts.path,
      query: Acs.parseQuery(facts.rawQuery),
      headers: facts.headers,
      host: facts.headers.host ?? ""
    }
    if (!Acs.verifyV2(identity.secret, auth.signature, request)) return yield* fail("SignatureDoesNotMatch")
    return { identity, nonce } satisfies Caller
  })

const authenticate = (facts: RequestFacts, action: string) =>
  Effect.gen(function* () {
    const header = facts.headers.authorization ?? ""
    const caller = header.startsWith("acs ")
      ? yield* authenticateV2(facts, header)
      : header.startsWith("ACS3-HMAC-SHA256 ")
        ? yield* authenticateV3(facts, header)
        : yield* fail("IncompleteSignature", "The Authorization header is missing or uses an unsupported algorithm.")
    const nonces = yield* NonceCache
    if (!(yield* nonces.claim(caller.nonce))) return yield* fail("SignatureNonceUsed")
    const control = yield* ControlState
    const limiter = yield* RateLimiter
    const decision = yield* limiter.check(`alibaba|${caller.identity.keyId}|${action}`, control.rateLimit("alibaba"))
    if (!decision.allowed) return yield* fail("Throttling.User", undefined, decision.retryAfterMs)
    return caller.identity
  })

const queryMap = (facts: RequestFacts): Map<string, string> => new Map(Acs.parseQuery(facts.rawQuery))

const optionalBoolean = (name: string, value: string | undefined) => {
  if (value === undefined) return Effect.succeed(undefined)
  if (value === "true" || value === "false") return Effect.succeed(value === "true")
  return fail("InvalidParameter", `${name} must be true or false.`)
}

const optionalInteger = (name: string, value: string | undefined) => {
  if (value === undefined) return Effect.succeed(undefined)
  if (/^-?\d+$/.test(value)) return Effect.succeed(Number(value))
  return fail("InvalidParameter", `${name} must be an integer.`)
}

const privateServer = (clusterId: string): string =>
  `https://192.168.${hashByte(clusterId, 0)}.${1 + (hashByte(clusterId, 1) % 254)}:6443`

/** RFC 3339, second precision, `Z`. */
const rfc3339 = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z")

const describeClusterUserKubeconfig = (facts: RequestFacts, identity: Identity) =>
  Effect.gen(function* () {
    const clusterId = yield* Effect.try({
      try: () => decodeURIComponent(USER_CONFIG.exec(facts.path)![1]!),
      catch: () => new AckError("InvalidParameter", "ClusterId is not a valid path segment.")
    })
    const query = queryMap(facts)
    const privateIp = (yield* optionalBoolean("PrivateIpAddress", query.get("PrivateIpAddress"))) ?? false
    const minutes = yield* optionalInteger("TemporaryDurationMinutes", query.get("TemporaryDurationMinutes"))
    if (minutes !== undefined && (minutes < 15 || minutes > 4320)) {
      return yield* fail("InvalidParameter", "TemporaryDurationMinutes must be between 15 and 4320.")
    }
    const store = yield* ClusterStore
    const cluster = store.findAlibaba(clusterId)
    if (!cluster || cluster.state === "deleted") {
      return yield* fail("ErrorClusterNotFound", `The specified cluster ${clusterId} does not exist.`)
    }
    if (!USABLE.has(cluster.state)) {
      return yield* fail("ErrorClusterState", `The cluster ${clusterId} is in state ${cluster.state}, not running.`)
    }
    const issuer = yield* CertificateIssuer
    const pki = yield* Pki
    const endpoints = yield* Endpoints
    const cert = yield* issuer.alibaba(cluster.clusterId, identity, minutes)
    const caPem = yield* pki.caPem("alibaba", cluster.clusterId)
    const user = identity.accountId
    const config = Kubeconfig.render({
      clusterName: "kubernetes",
      userName: user,
      contextName: `${user}-${cluster.clusterId}`,
      server: privateIp ? privateServer(cluster.clusterId) : endpoints.apiserver,
      tlsServerName: privateIp ? undefined : serverName("alibaba", cluster.clusterId),
      caPem,
      certPem: cert.certPem,
      keyPem: cert.keyPem
    })
    return { config, expiration: rfc3339(cert.notAfter) }
  })

export const clusterView = (cluster: AlibabaCluster, apiserver: string) => ({
  cluster_domain: "cluster.local",
  cluster_id: cluster.clusterId,
  cluster_spec: cluster.clusterSpec,
  cluster_type: cluster.clusterType,
  container_cidr: "172.20.0.0/16",
  created: cluster.created,
  current_version: cluster.version,
  deletion_protection: false,
  init_version: cluster.version,
  ip_stack: "ipv4",
  master_url: JSON.stringify({
    api_server_endpoint: apiserver,
    intranet_api_server_endpoint: privateServer(cluster.clusterId)
  }),
  meta_data: JSON.stringify({ Addons: [], KubernetesVersion: cluster.version }),
  name: cluster.name,
  network_mode: "vpc",
  next_version: "",
  private_zone: false,
  profile: cluster.profile,
  proxy_mode: "ipvs",
  region_id: cluster.region,
  resource_group_id: `rg-${cluster.clusterId.slice(1, 16)}`,
  security_group_id: `sg-${cluster.clusterId.slice(1, 21)}`,
  service_cidr: "172.21.0.0/20",
  size: cluster.size,
  state: cluster.state,
  tags: Object.entries(cluster.tags).map(([key, value]) => ({ key, value })),
  timezone: "Asia/Shanghai",
  updated: cluster.created,
  vpc_id: cluster.vpcId,
  vswitch_ids: [`vsw-${cluster.clusterId.slice(1, 21)}`],
  zone_id: `${cluster.region}-a`
})

const describeClustersV1 = (facts: RequestFacts) =>
  Effect.gen(function* () {
    const query = queryMap(facts)
    const pageNumber = (yield* optionalInteger("page_number", query.get("page_number"))) ?? 1
    const pageSize = (yield* optionalInteger("page_size", query.get("page_size"))) ?? 10
    if (pageNumber < 1) return yield* fail("InvalidParameter", "page_number must be at least 1.")
    if (pageSize < 1 || pageSize > 100) return yield* fail("InvalidParameter", "page_size must be between 1 and 100.")
    const eq = (name: string, value: string) => {
      const wanted = query.get(name)
      return wanted === undefined || wanted === "" || wanted === value
    }
    const name = query.get("name")
    const store = yield* ClusterStore
    const endpoints = yield* Endpoints
    const matching = store.alibaba.filter(
      (c) =>
        c.state !== "deleted" &&
        eq("cluster_id", c.clusterId) &&
        eq("cluster_spec", c.clusterSpec) &&
        eq("cluster_type", c.clusterType) &&
        eq("profile", c.profile) &&
        eq("region_id", c.region) &&
        (name === undefined || c.name.includes(name))
    )
    const start = (pageNumber - 1) * pageSize
    return {
      clusters: matching.slice(start, start + pageSize).map((c) => clusterView(c, endpoints.apiserver)),
      page_info: { page_number: pageNumber, page_size: pageSize, total_count: matching.length }
    }
  })

/** Verifies, throttles and answers one ACK request. */
export const handle = (facts: RequestFacts, action: string | undefined) =>
  Effect.gen(function* () {
    if (action === undefined || facts.method !== "GET") return yield* fail("InvalidAction.NotFound")
    const named = facts.headers["x-acs-action"]
    if (named !== undefined && named !== action) {
      return yield* fail(
        "InvalidAction.NotFound",
        `x-acs-action ${named} does not match ${facts.method} ${facts.path}.`
      )
    }
    if (facts.headers["x-acs-version"] !== VERSION) return yield* fail("InvalidVersion")
    const identity = yield* authenticate(facts, action)
    const body =
      action === "DescribeClusterUserKubeconfig"
        ? yield* describeClusterUserKubeconfig(facts, identity)
        : yield* describeClustersV1(facts)
    return json(200, body, { "x-acs-request-id": ackRequestId() })
  }).pipe(
    Effect.catchIf(
      (e): e is AckError => e instanceof AckError,
      (e) => Effect.succeed(alibabaError({ code: e.code, message: e.message, retryAfterMs: e.retryAfterMs }))
    )
  )

/** 200 JSON of the wrong shape. */
export const wrongShape = (): Reply => json(200, { config: 42 }, { "x-acs-request-id": ackRequestId() })
