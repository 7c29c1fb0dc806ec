/**
 * The one interface both transports implement: a single attempt of one ACK operation, already decided into the
 * taxonomy. Retries, pacing and credentials are the source's business (internal/source.ts).
 */
import type * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { Transport } from "@kubecred/core/KubecredError"
import type { ProviderError } from "@kubecred/core/KubecredError"
import type { AckCredentials } from "../AckCredentials.js"
import type { ClustersBody, KubeconfigBody } from "./wire.js"

export const DESCRIBE_KUBECONFIG = "DescribeClusterUserKubeconfig"
export const DESCRIBE_CLUSTERS = "DescribeClustersV1"

export interface Answered<A> {
  readonly value: A
  readonly requestId: string | undefined
}

export interface KubeconfigInput {
  readonly region: string
  readonly clusterId: string
  readonly privateIpAddress: boolean
  readonly temporaryDurationMinutes?: number | undefined
}

export interface ClustersInput {
  readonly region: string
  readonly pageNumber: number
  readonly pageSize: number
  readonly clusterId?: string | undefined
  readonly name?: string | undefined
  /** Every region of the account: no region_id (DescribeClustersV1 is account-wide); `region` picks the endpoint. */
  readonly accountWide?: boolean | undefined
}

export interface AckTransport {
  readonly describeClusterUserKubeconfig: (
    input: KubeconfigInput,
    credentials: AckCredentials
  ) => Effect.Effect<Answered<KubeconfigBody>, ProviderError>
  readonly describeClustersV1: (
    input: ClustersInput,
    credentials: AckCredentials
  ) => Effect.Effect<Answered<ClustersBody>, ProviderError>
}

export interface TransportConfig {
  /** The API origin for a region (the override, else the regional default). */
  readonly origin: (region: string) => URL
  readonly signatureVersion: "v3" | "v2"
}

/** The query of DescribeClusterUserKubeconfig, in the SDK's order. */
export const kubeconfigQuery = (input: KubeconfigInput): Array<readonly [string, string]> => [
  ["PrivateIpAddress", String(input.privateIpAddress)],
  ...(input.temporaryDurationMinutes === undefined
    ? []
    : [["TemporaryDurationMinutes", String(input.temporaryDurationMinutes)] as const])
]

/** The query of DescribeClustersV1 (snake_case on the wire). */
export const clustersQuery = (input: ClustersInput): Array<readonly [string, string]> => [
  ...(input.clusterId === undefined ? [] : [["cluster_id", input.clusterId] as const]),
  ...(input.name === undefined ? [] : [["name", input.name] as const]),
  ["page_number", String(input.pageNumber)],
  ["page_size", String(input.pageSize)],
  ...(input.accountWide === true ? [] : [["region_id", input.region] as const])
]

/** Replaces any echo of the credentials' secret parts with `<redacted>`. */
export const scrubber = (credentials: AckCredentials) => {
  const secrets = [credentials.accessKeySecret, credentials.securityToken]
    .filter((s): s is Redacted.Redacted<string> => s !== undefined)
    .map(Redacted.value)
    .filter((s) => s.length >= 4)
  return (text: string): string => secrets.reduce((t, s) => t.split(s).join("<redacted>"), text)
}

/** A Node socket error decided into Transport. */
export const transportError = (action: string, cause: unknown): Transport => {
  const error = cause as { readonly code?: unknown; readonly name?: unknown; readonly message?: unknown } | undefined
  const code = typeof error?.code === "string" ? error.code : undefined
  const name = typeof error?.name === "string" ? error.name : "Error"
  const message = typeof error?.message === "string" ? error.message : String(cause)
  const reason =
    code === "ECONNRESET" || code === "EPIPE" || code === "ECONNABORTED" || /socket hang up|aborted/i.test(message)
      ? "reset"
      : code === "ECONNREFUSED"
        ? "refused"
        : code === "ENOTFOUND" || code === "EAI_AGAIN"
          ? "dns"
          : code === "ETIMEDOUT" || /timeout/i.test(name) || /timeout/i.test(message)
            ? "timeout"
            : "other"
  const said = message.length > 200 ? `${message.slice(0, 200)}...` : message
  return new Transport({ provider: "alibaba", action, reason, detail: `${code ?? name}${said ? `: ${said}` : ""}` })
}
