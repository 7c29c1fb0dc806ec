/**
 * The one interface both transports implement: a single attempt of one ACK operation, already decided into the
 * taxonomy. Retries, pacing, bounds and credentials are the core engine's business (internal/source.ts gives it
 * the spec). Another operation is one more entry here and in each transport's table.
 */
import * as Redacted from "effect/Redacted"
import { type InvalidInput, type ProviderError, Transport } from "@kubecred/core/KubecredError"
import * as Effect from "effect/Effect"
import type { Answer } from "@kubecred/core/ProviderEngine"
import { classifySystemError } from "@kubecred/http-proxy/SystemError"
import type { AckCredentials } from "../AckCredentials.js"
import type { ClustersBody, KubeconfigBody } from "./wire.js"

export const DESCRIBE_KUBECONFIG = "DescribeClusterUserKubeconfig"
export const DESCRIBE_CLUSTERS = "DescribeClustersV1"

export type Answered<A> = Answer<A>

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
  readonly name: "http" | "sdk"
  /** Fails when the transport cannot send at all (an endpoint override that is not a URL, no SDK). */
  readonly ready: Effect.Effect<void, InvalidInput>
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

/** A Node socket error decided into Transport (the one classifier of @kubecred/http-proxy/SystemError). */
export const transportError = (action: string, cause: unknown): Transport =>
  new Transport({ provider: "alibaba", action, ...classifySystemError(cause) })

/** A transport whose every call fails with the same input error (a bad override, no SDK): nothing is sent. */
export const refusing = (name: AckTransport["name"], error: InvalidInput): AckTransport => ({
  name,
  ready: Effect.fail(error),
  describeClusterUserKubeconfig: () => Effect.fail(error),
  describeClustersV1: () => Effect.fail(error)
})
