/**
 * Every TKE code (docs/contracts/tke.md "Error codes": the common codes and the DescribeClusterKubeconfig /
 * DescribeClusters business codes) decided into exactly one class of the taxonomy, plus HTTP statuses and
 * transport failures. Unlisted codes fall back on their family (`AuthFailure.*`, `InternalError.*`, ...).
 * A parameter or region the server refused is RequestRejected: it was sent (InvalidInput is kubecred's own
 * refusal before sending).
 */
import {
  AccessDenied,
  AuthenticationFailed,
  ClusterNotFound,
  ClusterUnavailable,
  MalformedResponse,
  type ProviderError,
  ProviderInternal,
  RequestRejected,
  Throttled,
  Transport
} from "@kubecred/core/KubecredError"
import { classifySystemError } from "@kubecred/http-proxy/SystemError"

export type ErrorClass =
  | "AuthenticationFailed"
  | "AccessDenied"
  | "ClusterNotFound"
  | "ClusterUnavailable"
  | "Throttled"
  | "ProviderInternal"
  | "RequestRejected"

/** The codes named in docs/contracts/tke.md and their class. */
export const knownCodes: Readonly<Record<string, ErrorClass>> = {
  // Common codes
  ActionOffline: "RequestRejected",
  "AuthFailure.InvalidAuthorization": "AuthenticationFailed",
  "AuthFailure.InvalidSecretId": "AuthenticationFailed",
  "AuthFailure.MFAFailure": "AuthenticationFailed",
  "AuthFailure.SecretIdNotFound": "AuthenticationFailed",
  "AuthFailure.SignatureExpire": "AuthenticationFailed",
  "AuthFailure.SignatureFailure": "AuthenticationFailed",
  "AuthFailure.TokenFailure": "AuthenticationFailed",
  "AuthFailure.UnauthorizedOperation": "AccessDenied",
  DryRunOperation: "RequestRejected",
  FailedOperation: "ProviderInternal",
  InternalError: "ProviderInternal",
  InvalidAction: "RequestRejected",
  InvalidParameter: "RequestRejected",
  InvalidParameterValue: "RequestRejected",
  InvalidRequest: "RequestRejected",
  IpInBlacklist: "AccessDenied",
  IpNotInWhitelist: "AccessDenied",
  LimitExceeded: "RequestRejected",
  MissingParameter: "RequestRejected",
  NoSuchProduct: "RequestRejected",
  NoSuchVersion: "RequestRejected",
  RequestLimitExceeded: "Throttled",
  "RequestLimitExceeded.GlobalRegionUinLimitExceeded": "Throttled",
  "RequestLimitExceeded.IPLimitExceeded": "Throttled",
  "RequestLimitExceeded.UinLimitExceeded": "Throttled",
  RequestSizeLimitExceeded: "RequestRejected",
  ResourceInUse: "ClusterUnavailable",
  ResourceInsufficient: "ProviderInternal",
  ResourceNotFound: "ClusterNotFound",
  ResourceUnavailable: "ClusterUnavailable",
  ResponseSizeLimitExceeded: "RequestRejected",
  ServiceUnavailable: "ProviderInternal",
  UnauthorizedOperation: "AccessDenied",
  UnknownParameter: "RequestRejected",
  UnsupportedOperation: "RequestRejected",
  UnsupportedProtocol: "RequestRejected",
  UnsupportedRegion: "RequestRejected",
  // DescribeClusterKubeconfig
  "FailedOperation.ComponentClientHttp": "ProviderInternal",
  "FailedOperation.KubeCommon": "ProviderInternal",
  "FailedOperation.KubernetesClientBuildError": "ProviderInternal",
  "FailedOperation.UnexpectedError": "ProviderInternal",
  "InternalError.CamNoAuth": "AccessDenied",
  "InternalError.ComponentClientHttp": "ProviderInternal",
  "InternalError.Db": "ProviderInternal",
  "InternalError.KubeClientConnection": "ProviderInternal",
  "InternalError.KubernetesClientBuildError": "ProviderInternal",
  "InternalError.KubernetesCreateOperationError": "ProviderInternal",
  "InternalError.KubernetesDeleteOperationError": "ProviderInternal",
  "InternalError.UnexpectedInternal": "ProviderInternal",
  "InternalError.WhitelistUnexpectedError": "ProviderInternal",
  "InvalidParameter.ClusterNotFound": "ClusterNotFound",
  "InvalidParameter.Param": "RequestRejected",
  "ResourceNotFound.ClusterNotFound": "ClusterNotFound",
  "ResourceNotFound.KubernetesResourceNotFound": "ClusterNotFound",
  "ResourceUnavailable.ClusterInAbnormalStat": "ClusterUnavailable",
  "UnauthorizedOperation.CamNoAuth": "AccessDenied",
  "UnauthorizedOperation.NoRBACPermissions": "AccessDenied",
  // DescribeClusters (besides the above)
  "InternalError.DbAffectivedRows": "ProviderInternal",
  "InternalError.Param": "RequestRejected",
  "InternalError.QuotaMaxClsLimit": "ProviderInternal",
  "InternalError.QuotaMaxNodLimit": "ProviderInternal"
}

const families: ReadonlyArray<readonly [string, ErrorClass]> = [
  ["AuthFailure.", "AuthenticationFailed"],
  ["UnauthorizedOperation.", "AccessDenied"],
  ["RequestLimitExceeded.", "Throttled"],
  ["ResourceNotFound.", "ClusterNotFound"],
  ["ResourceUnavailable.", "ClusterUnavailable"],
  ["ResourceInUse.", "ClusterUnavailable"],
  ["InvalidParameter.", "RequestRejected"],
  ["InvalidParameterValue.", "RequestRejected"],
  ["MissingParameter.", "RequestRejected"],
  ["UnknownParameter.", "RequestRejected"],
  ["UnsupportedOperation.", "RequestRejected"],
  ["LimitExceeded.", "RequestRejected"],
  ["InternalError.", "ProviderInternal"],
  ["FailedOperation.", "ProviderInternal"],
  ["ResourceInsufficient.", "ProviderInternal"]
]

/** The class of a TKE error code; codes nobody listed fall back on their family, then ProviderInternal. */
export const classify = (code: string): ErrorClass => {
  const known = knownCodes[code]
  if (known !== undefined) return known
  for (const [prefix, errorClass] of families) if (code.startsWith(prefix)) return errorClass
  return "ProviderInternal"
}

export interface CallContext {
  readonly action: string
  readonly region?: string | undefined
  readonly clusterId?: string | undefined
}

const base = (context: CallContext) => ({ provider: "tencent" as const, action: context.action })

/** An error answer (`Response.Error`) as the taxonomy. */
export const fromCode = (
  context: CallContext,
  answer: { readonly code: string; readonly message?: string | undefined; readonly requestId?: string | undefined }
): ProviderError => {
  const fields = {
    ...base(context),
    code: answer.code,
    detail: answer.message?.trim() || "no message",
    ...(answer.requestId ? { requestId: answer.requestId } : {})
  }
  switch (classify(answer.code)) {
    case "AuthenticationFailed":
      return new AuthenticationFailed(fields)
    case "AccessDenied":
      return new AccessDenied(fields)
    case "ClusterNotFound":
      return new ClusterNotFound({
        ...fields,
        ...(context.clusterId ? { clusterId: context.clusterId } : {}),
        ...(context.region ? { region: context.region } : {})
      })
    case "ClusterUnavailable":
      return new ClusterUnavailable({ ...fields, ...(context.clusterId ? { clusterId: context.clusterId } : {}) })
    case "Throttled":
      return new Throttled(fields)
    case "ProviderInternal":
      return new ProviderInternal(fields)
    case "RequestRejected":
      return new RequestRejected({
        ...fields,
        ...(answer.code.startsWith("UnsupportedRegion") ? { field: "region" } : {})
      })
  }
}

/**
 * A non-200 answer. TKE itself answers every API error with 200 + Response.Error (docs/contracts/tke.md), so a
 * non-200 comes from something in between (gateway, proxy, load balancer).
 */
export const fromStatus = (
  context: CallContext,
  status: number,
  retryAfterMillis?: number | undefined
): ProviderError => {
  const detail = `HTTP ${status} from the API endpoint`
  if (status === 429) {
    return new Throttled({
      ...base(context),
      detail,
      ...(retryAfterMillis === undefined ? {} : { retryAfterMillis })
    })
  }
  if (status === 408) return new Transport({ ...base(context), reason: "timeout", detail })
  if (status >= 500) return new ProviderInternal({ ...base(context), status, detail })
  if (status === 401) return new AuthenticationFailed({ ...base(context), detail })
  if (status === 403) return new AccessDenied({ ...base(context), detail })
  return new MalformedResponse({ ...base(context), detail: `${detail}; expected 200` })
}

/** `Retry-After` as milliseconds (seconds or an HTTP date), when present and sane. */
export const parseRetryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined || value.trim() === "") return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 120_000)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.min(Math.max(at - now, 0), 120_000)
}

/** `cause` is a value-free summary (a parse error's paths, an exception's name), never the body. */
export const malformed = (
  context: CallContext,
  detail: string,
  requestId?: string | undefined,
  extra: { readonly cause?: unknown } = {}
): MalformedResponse =>
  new MalformedResponse({
    ...base(context),
    detail,
    ...(requestId ? { requestId } : {}),
    ...(extra.cause === undefined ? {} : { cause: extra.cause })
  })

/** A request that got no complete answer. The detail is the system error (never request headers or body). */
export const fromTransportCause = (context: CallContext, cause: unknown): Transport =>
  new Transport({ ...base(context), ...classifySystemError(cause) })
