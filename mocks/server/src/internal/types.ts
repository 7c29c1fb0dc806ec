import type { Fixtures } from "../Fixtures.js"

export interface MockCloudOptions {
  /** HTTP port for both clouds and the control endpoint; 0 (default) picks any free port. */
  readonly port?: number
  /** A JSON/YAML file path or an object; the built-in defaults otherwise. */
  readonly fixtures?: string | Fixtures
  /** Extra generated running clusters, for bulk tests. */
  readonly generate?: {
    readonly tencent?: ReadonlyArray<{ readonly region: string; readonly count: number }>
    readonly alibaba?: ReadonlyArray<{ readonly region: string; readonly count: number }>
  }
  /** Requests per second per SecretId and action (TKE), default 20. */
  readonly tencentRateLimit?: number
  /** Requests per second per AccessKeyId and action (ACK), default 50. */
  readonly alibabaRateLimit?: number
  /** Initial fault rules. */
  readonly faults?: ReadonlyArray<FaultRule>
  /** Extra host[:port] values a signature may have been computed for (a proxy in front rewrites Host). */
  readonly acceptedHosts?: ReadonlyArray<string>
  /** Shift of the mock's own clock (signature timestamps are checked against it), for skew tests. */
  readonly clockOffsetMs?: number
}

export type FaultAction =
  | "DescribeClusterKubeconfig"
  | "DescribeClusters"
  | "DescribeClusterUserKubeconfig"
  | "DescribeClustersV1"

export interface FaultRule {
  readonly provider: "tencent" | "alibaba"
  /** All actions of the provider when omitted. */
  readonly action?: string
  /** Share of matching requests affected, 0..1 (default 1). */
  readonly rate?: number
  /** Added latency before the (possibly faulted) answer. */
  readonly latencyMs?: number
  /** Replace the response with this error (TKE: HTTP 200 + Response.Error; ACK: status + body). */
  readonly error?: {
    readonly code: string
    readonly status?: number
    readonly message?: string
    readonly retryAfterMs?: number
  }
  /** A bare non-200 status with an HTML body. */
  readonly httpStatus?: number
  /** Destroy the socket without answering. */
  readonly reset?: boolean
  /** Send half a JSON body then end. */
  readonly truncate?: boolean
  /** 200 with an HTML body. */
  readonly nonJson?: boolean
  /** 200 with an empty body. */
  readonly emptyBody?: boolean
  /** 200 JSON of the wrong shape. */
  readonly wrongShape?: boolean
  /** Never answer (until the client gives up). */
  readonly hang?: boolean
  /** Stop after this many affected requests. */
  readonly count?: number
}

export interface ReadyClusterTencent {
  readonly region: string
  readonly clusterId: string
  readonly status: string
}

export interface ReadyClusterAlibaba {
  readonly region: string
  readonly clusterId: string
  readonly state: string
}

/** Exactly the ready-file object. */
export interface ReadyInfo {
  readonly tencent: {
    readonly endpoint: string
    readonly secretId: string
    readonly secretKey: string
    readonly sts: { readonly secretId: string; readonly secretKey: string; readonly token: string }
    readonly clusters: ReadonlyArray<ReadyClusterTencent>
  }
  readonly alibaba: {
    readonly endpoint: string
    readonly accessKeyId: string
    readonly accessKeySecret: string
    readonly sts: { readonly accessKeyId: string; readonly accessKeySecret: string; readonly securityToken: string }
    readonly clusters: ReadonlyArray<ReadyClusterAlibaba>
  }
  readonly apiserver: string
  readonly control: string
  /** The instance metadata services (ECS and CVM) and the role each hands credentials for. */
  readonly metadata: { readonly endpoint: string; readonly ecsRole: string; readonly cvmRole: string }
}

export interface MockCloud extends ReadyInfo {
  stop(): Promise<void>
  setFaults(rules: ReadonlyArray<FaultRule>): void
  setRateLimit(provider: "tencent" | "alibaba", perSecond: number): void
  /** Issue certificates as if "now" were shifted (so an expired temporary ACK certificate can be produced). */
  setCertificateClock(offsetMs: number): void
  /** Shift the mock's own clock, against which request timestamps are checked (skew tests). */
  setClock(offsetMs: number): void
  /** Requests per "provider:action", including throttled, faulted and rejected ones. */
  stats(): { requests: Record<string, number> }
}
