/**
 * Every ACK answer that is not a success, decided into exactly one taxonomy class (docs/errors.md).
 * Both transports end here: the http transport with the status, headers and body it read, the sdk transport
 * with the fields of the SDK's exception.
 *
 * Decisions (the codes are in docs/contracts/ack.md "Error codes"):
 * - any code containing `Throttling` (at any status, as the SDK does) → Throttled, retry-after from
 *   `x-acs-retry-after` in milliseconds;
 * - `InvalidAccessKeyId.*`, `Forbidden.AccessKeyDisabled`, `SignatureDoesNotMatch`, `IncompleteSignature`,
 *   `InvalidTimeStamp.*`, `InvalidSecurityToken.*`, `InvalidCredentials` → AuthenticationFailed (who we are was not
 *   accepted: a disabled key is an identity problem even though its code starts with `Forbidden`);
 * - `Forbidden`, `Forbidden.*`, `NoPermission`, `ErrorCheckAcl`, `ErrorRamPolicyConfig` → AccessDenied, with
 *   the gateway's AccessDeniedDetail (action, policy type) appended when given;
 * - `ErrorClusterNotFound` → ClusterNotFound; `ErrorClusterState` → ClusterUnavailable (retried slowly);
 * - `SignatureNonceUsed` → ProviderInternal (retryable): the server answered, so it is not Transport; our nonce
 *   is 256 random bits made fresh for every attempt, so a reuse means a duplicate delivery on the way (a proxy
 *   re-sending), and the retry is signed again with a new nonce; ProviderInternal keeps code and request id;
 * - `ServiceUnavailable`, `InternalError`, `UnknownError`, `ErrorQueryCluster`, any other 5xx → ProviderInternal;
 * - `InvalidParameter(.*)` → RequestRejected: the server refused what the caller asked (our own validation
 *   already rejects what the contract documents, e.g. a duration outside 15..4320, before sending: that is
 *   InvalidInput); it keeps the code, message and request id;
 * - `InvalidAction.NotFound`, `InvalidVersion` (undocumented; the mock sends them) → RequestRejected on
 *   `endpoint`: the endpoint answering does not serve CS 2015-12-15, i.e. a wrong endpoint override;
 * - a code nobody documented: 401 → AuthenticationFailed, 403 → AccessDenied, 429 → Throttled,
 *   5xx → ProviderInternal, else MalformedResponse (kubecred does not guess what it means; the code and
 *   message are passed on verbatim);
 * - an error status whose body carries no code (an HTML page from a load balancer): 5xx → ProviderInternal,
 *   429 → Throttled, else MalformedResponse.
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
  Throttled
} from "@kubecred/core/KubecredError"

export interface ErrorContext {
  readonly action: string
  readonly clusterId?: string | undefined
  readonly region?: string | undefined
}

export interface ErrorAnswer {
  readonly status: number
  readonly code?: string | undefined
  readonly message?: string | undefined
  readonly requestId?: string | undefined
  /** The raw `x-acs-retry-after` value (milliseconds, as the SDK reads it). */
  readonly retryAfter?: string | number | undefined
  /** The gateway's AccessDeniedDetail object, when present. */
  readonly accessDeniedDetail?: unknown
}

export type Category =
  | "Throttled"
  | "AuthenticationFailed"
  | "AccessDenied"
  | "ClusterNotFound"
  | "ClusterUnavailable"
  | "ProviderInternal"
  | "RequestRejected"
  | "MalformedResponse"

const exact: Record<string, Category> = {
  "Forbidden.AccessKeyDisabled": "AuthenticationFailed",
  SignatureDoesNotMatch: "AuthenticationFailed",
  IncompleteSignature: "AuthenticationFailed",
  InvalidCredentials: "AuthenticationFailed",
  Forbidden: "AccessDenied",
  NoPermission: "AccessDenied",
  ErrorCheckAcl: "AccessDenied",
  ErrorRamPolicyConfig: "AccessDenied",
  ErrorClusterNotFound: "ClusterNotFound",
  ErrorClusterState: "ClusterUnavailable",
  SignatureNonceUsed: "ProviderInternal",
  ServiceUnavailable: "ProviderInternal",
  InternalError: "ProviderInternal",
  UnknownError: "ProviderInternal",
  ErrorQueryCluster: "ProviderInternal",
  InvalidParameter: "RequestRejected",
  "InvalidAction.NotFound": "RequestRejected",
  InvalidVersion: "RequestRejected"
}

const prefixes: ReadonlyArray<readonly [string, Category]> = [
  ["InvalidAccessKeyId", "AuthenticationFailed"],
  ["InvalidTimeStamp", "AuthenticationFailed"],
  ["InvalidSecurityToken", "AuthenticationFailed"],
  ["Forbidden.", "AccessDenied"],
  ["InvalidParameter.", "RequestRejected"]
]

/** The one category of a documented code, or undefined for a code nobody documented. */
export const categoryOfCode = (code: string): Category | undefined => {
  if (code.includes("Throttling")) return "Throttled"
  const known = exact[code]
  if (known !== undefined) return known
  return prefixes.find(([prefix]) => code.startsWith(prefix))?.[1]
}

const categoryOfStatus = (status: number): Category => {
  if (status === 401) return "AuthenticationFailed"
  if (status === 403) return "AccessDenied"
  if (status === 429) return "Throttled"
  if (status >= 500) return "ProviderInternal"
  return "MalformedResponse"
}

const retryAfterMillis = (value: string | number | undefined): number | undefined => {
  if (value === undefined) return undefined
  const n = typeof value === "number" ? value : Number.parseInt(value, 10)
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

const deniedDetail = (detail: unknown): string => {
  if (typeof detail !== "object" || detail === null) return ""
  const parts = Object.entries(detail as Record<string, unknown>)
    .filter(([, v]) => typeof v === "string" || typeof v === "number")
    .map(([k, v]) => `${k}=${String(v)}`)
  return parts.length === 0 ? "" : ` [${parts.join(", ")}]`
}

/** Decides one error answer. `scrub` removes any secret that might have been echoed in a message. */
export const fromAnswer = (
  context: ErrorContext,
  answer: ErrorAnswer,
  scrub: (text: string) => string = (t) => t
): ProviderError => {
  const code = answer.code === undefined || answer.code === "" ? undefined : answer.code
  const category = (code === undefined ? undefined : categoryOfCode(code)) ?? categoryOfStatus(answer.status)
  const base = {
    provider: "alibaba" as const,
    action: context.action,
    ...(code === undefined ? {} : { code }),
    ...(answer.requestId === undefined || answer.requestId === "" ? {} : { requestId: answer.requestId })
  }
  const said = answer.message === undefined || answer.message === "" ? undefined : scrub(answer.message)
  const detail = said ?? `HTTP ${answer.status}${code === undefined ? " without an error code" : ""}`
  switch (category) {
    case "Throttled": {
      const after = retryAfterMillis(answer.retryAfter)
      return new Throttled({ ...base, detail, ...(after === undefined ? {} : { retryAfterMillis: after }) })
    }
    case "AuthenticationFailed":
      return new AuthenticationFailed({ ...base, detail })
    case "AccessDenied":
      return new AccessDenied({ ...base, detail: `${detail}${deniedDetail(answer.accessDeniedDetail)}` })
    case "ClusterNotFound":
      return new ClusterNotFound({
        ...base,
        detail,
        ...(context.clusterId === undefined ? {} : { clusterId: context.clusterId }),
        ...(context.region === undefined ? {} : { region: context.region })
      })
    case "ClusterUnavailable":
      return new ClusterUnavailable({
        ...base,
        detail,
        ...(context.clusterId === undefined ? {} : { clusterId: context.clusterId })
      })
    case "ProviderInternal":
      return new ProviderInternal({ ...base, detail, status: answer.status })
    case "RequestRejected": {
      const wrongEndpoint = code === "InvalidAction.NotFound" || code === "InvalidVersion"
      return new RequestRejected({
        ...base,
        ...(wrongEndpoint ? { field: "endpoint" } : {}),
        detail: wrongEndpoint
          ? `${detail}; the endpoint does not serve CS 2015-12-15, check the endpoint override`
          : detail
      })
    }
    case "MalformedResponse":
      return new MalformedResponse({
        ...base,
        detail:
          code === undefined ? `unexpected ${detail}` : `undocumented error code (HTTP ${answer.status}): ${detail}`
      })
  }
}

/** A success status whose body is not what the contract says; `cause` a value-free summary, never the body. */
export const malformed = (
  context: ErrorContext,
  detail: string,
  requestId?: string | undefined,
  extra: { readonly cause?: unknown } = {}
): MalformedResponse =>
  new MalformedResponse({
    provider: "alibaba",
    action: context.action,
    detail,
    ...(requestId === undefined || requestId === "" ? {} : { requestId }),
    ...(extra.cause === undefined ? {} : { cause: extra.cause })
  })
