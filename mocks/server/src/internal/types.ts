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
  | "AssumeRole"
  | "AssumeRoleWithWebIdentity"
  | "AssumeRoleWithOIDC"

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

/** A role of a mock STS and its trust policy (docs/mock-sts.md). */
export interface ReadyRole {
  readonly name: string
  readonly arn: string
  readonly maxSessionDurationSeconds: number
  /** `key` (the demo key above), `sts` (the instance role's identity), `role:<name>` (sessions of that role). */
  readonly principals: ReadonlyArray<string>
  /** Names of the OIDC providers whose tokens may assume it. */
  readonly oidcProviders: ReadonlyArray<string>
  /** When present, the token subjects it accepts (`*` at the end: any rest). */
  readonly subjects?: ReadonlyArray<string>
}

/** An OIDC provider a mock STS accepts tokens of. */
export interface ReadyOidcProvider {
  readonly name: string
  /** What a request names it by: TKE `ProviderId`, or the Alibaba `OIDCProviderArn`. */
  readonly id: string
  readonly issuer: string
  readonly audiences: ReadonlyArray<string>
}

/** Exactly the ready-file object. */
export interface ReadyInfo {
  readonly tencent: {
    readonly endpoint: string
    readonly secretId: string
    readonly secretKey: string
    readonly sts: { readonly secretId: string; readonly secretKey: string; readonly token: string }
    readonly clusters: ReadonlyArray<ReadyClusterTencent>
    /** `https://127.0.0.1:P` (also answered over plain http): AssumeRole, AssumeRoleWithWebIdentity. */
    readonly stsEndpoint: string
    /** The first role trusts both the demo key and the first OIDC provider. */
    readonly roles: ReadonlyArray<ReadyRole>
    readonly oidcProviders: ReadonlyArray<ReadyOidcProvider>
  }
  readonly alibaba: {
    readonly endpoint: string
    readonly accessKeyId: string
    readonly accessKeySecret: string
    readonly sts: { readonly accessKeyId: string; readonly accessKeySecret: string; readonly securityToken: string }
    readonly clusters: ReadonlyArray<ReadyClusterAlibaba>
    /** `https://127.0.0.1:P` (also answered over plain http): AssumeRole, AssumeRoleWithOIDC. */
    readonly stsEndpoint: string
    /** The first role trusts both the demo key and the first OIDC provider. */
    readonly roles: ReadonlyArray<ReadyRole>
    readonly oidcProviders: ReadonlyArray<ReadyOidcProvider>
    /** A credentials URI (`ALIBABA_CLOUD_CREDENTIALS_URI`) handing out sessions of the first role. */
    readonly credentialsUri: string
  }
  readonly apiserver: string
  readonly control: string
  /** The instance metadata services (ECS and CVM) and the role each hands credentials for. */
  readonly metadata: { readonly endpoint: string; readonly ecsRole: string; readonly cvmRole: string }
  /** The OIDC issuer (discovery at `<issuer>/.well-known/openid-configuration`) and its token mint (POST JSON). */
  readonly oidc: { readonly issuer: string; readonly tokenEndpoint: string }
  /** The cloud port over TLS: `https://127.0.0.1:P`, the same port as `control`. */
  readonly https: string
  /** PEM file of the CA the cloud port's certificate chains to (e.g. for NODE_EXTRA_CA_CERTS). */
  readonly caFile: string
}

export interface MockCloud extends ReadyInfo {
  stop(): Promise<void>
  setFaults(rules: ReadonlyArray<FaultRule>): void
  setRateLimit(provider: "tencent" | "alibaba", perSecond: number): void
  /** Issue certificates as if "now" were shifted (so an expired temporary ACK certificate can be produced). */
  setCertificateClock(offsetMs: number): void
  /** Shift the mock's own clock, against which request timestamps are checked (skew tests). */
  setClock(offsetMs: number): void
  /** A token of the mock OIDC issuer (as `POST <control>/oidc/token`). */
  mintOidcToken(request: {
    audience: string
    subject: string
    expiresInSeconds?: number
    issuer?: string
  }): Promise<string>
  /** STS sessions issued from now on live this long, whatever they asked for (undefined: as asked). */
  setStsLifetime(seconds: number | undefined): void
  /** Ends issued STS sessions now (all, or the one with this access key id); returns how many. */
  expireStsSessions(accessKeyId?: string): Promise<number>
  /** Requests per "provider:action", including throttled, faulted and rejected ones. */
  stats(): { requests: Record<string, number> }
}
