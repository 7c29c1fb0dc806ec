/**
 * What both transports implement. Underneath, one signed call of one action answering the `Response` object
 * of a successful answer, or a ProviderError decided at the boundary (TKE is RPC: every action is the same
 * POST). On top, `fromCaller` gives the typed operations the client uses, each decoding its own payload;
 * another action (DescribeRegions, say) is one more entry in `TkeOperations` and one more line in `fromCaller`.
 */
import type { Answer } from "@kubecred/core/ProviderEngine"
import { InvalidInput, type ProviderError } from "@kubecred/core/KubecredError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { TkeCredentials } from "../TkeCredentials.js"
import { DescribeClusterEndpointsResponse } from "./endpoints.js"
import { type CallContext, malformed } from "./errorMapping.js"
import { DescribeRegionsResponse } from "./regions.js"
import { DescribeClusterKubeconfigResponse, DescribeClustersResponse, describeParseError } from "./responses.js"

export const API_VERSION = "2018-05-25"
export const DEFAULT_ENDPOINT = "https://tke.tencentcloudapi.com"

export interface TkeCall {
  readonly action: "DescribeClusterKubeconfig" | "DescribeClusters" | "DescribeRegions" | "DescribeClusterEndpoints"
  readonly region: string
  readonly params: Record<string, unknown>
  readonly credentials: TkeCredentials
  /** For error details (ClusterNotFound carries them). */
  readonly context: CallContext
}

export interface TkeAnswer {
  readonly response: Record<string, unknown>
  readonly requestId: string | undefined
}

/** One signed attempt of one action. */
export type TkeCaller = (call: TkeCall) => Effect.Effect<TkeAnswer, ProviderError>

export interface KubeconfigInput {
  readonly region: string
  readonly clusterId: string
  /** `IsExtranet`: the public API server address. */
  readonly extranet: boolean
}

export interface ClustersInput {
  readonly region: string
  readonly offset: number
  readonly limit: number
  readonly clusterIds?: ReadonlyArray<string> | undefined
  readonly name?: string | undefined
}

/** The operations kubecred calls, one attempt each, payload decoded. */
export interface TkeOperations {
  readonly describeClusterKubeconfig: (
    input: KubeconfigInput,
    credentials: TkeCredentials
  ) => Effect.Effect<Answer<typeof DescribeClusterKubeconfigResponse.Type>, ProviderError>
  readonly describeClusters: (
    input: ClustersInput,
    credentials: TkeCredentials
  ) => Effect.Effect<Answer<typeof DescribeClustersResponse.Type>, ProviderError>
  /** The regions TKE serves; `region` only routes the call (the action takes none). */
  readonly describeRegions: (
    region: string,
    credentials: TkeCredentials
  ) => Effect.Effect<Answer<typeof DescribeRegionsResponse.Type>, ProviderError>
  readonly describeClusterEndpoints: (
    input: { readonly region: string; readonly clusterId: string },
    credentials: TkeCredentials
  ) => Effect.Effect<Answer<typeof DescribeClusterEndpointsResponse.Type>, ProviderError>
}

export interface TkeTransport extends TkeOperations {
  readonly name: "http" | "sdk"
  /** Fails when the transport cannot send at all (an endpoint override that is not a URL, no SDK). */
  readonly ready: Effect.Effect<void, InvalidInput>
}

const decodeAs =
  <A, I>(schema: Schema.Schema<A, I>, context: CallContext) =>
  (answer: TkeAnswer): Effect.Effect<Answer<A>, ProviderError> =>
    Either.match(Schema.decodeUnknownEither(schema)(answer.response), {
      onLeft: (error) =>
        Effect.fail(
          malformed(context, `unexpected ${context.action} response: ${describeParseError(error)}`, answer.requestId, {
            cause: new Error(describeParseError(error))
          })
        ),
      onRight: (value) => Effect.succeed({ value, requestId: answer.requestId })
    })

/** The typed operations over one caller. */
export const fromCaller = (
  name: TkeTransport["name"],
  call: TkeCaller,
  ready: Effect.Effect<void, InvalidInput> = Effect.void
): TkeTransport => ({
  name,
  ready,
  describeClusterKubeconfig: (input, credentials) => {
    const context: CallContext = {
      action: "DescribeClusterKubeconfig",
      region: input.region,
      clusterId: input.clusterId
    }
    return Effect.flatMap(
      call({
        action: context.action as TkeCall["action"],
        region: input.region,
        params: { ClusterId: input.clusterId, IsExtranet: input.extranet },
        credentials,
        context
      }),
      decodeAs(DescribeClusterKubeconfigResponse, context)
    )
  },
  describeClusters: (input, credentials) => {
    const context: CallContext = { action: "DescribeClusters", region: input.region }
    return Effect.flatMap(
      call({
        action: "DescribeClusters",
        region: input.region,
        params: {
          Offset: input.offset,
          Limit: input.limit,
          ...(input.clusterIds && input.clusterIds.length > 0 ? { ClusterIds: input.clusterIds } : {}),
          ...(input.name === undefined ? {} : { Filters: [{ Name: "ClusterName", Values: [input.name] }] })
        },
        credentials,
        context
      }),
      decodeAs(DescribeClustersResponse, context)
    )
  },
  describeRegions: (region, credentials) => {
    const context: CallContext = { action: "DescribeRegions" }
    return Effect.flatMap(
      call({ action: "DescribeRegions", region, params: {}, credentials, context }),
      decodeAs(DescribeRegionsResponse, context)
    )
  },
  describeClusterEndpoints: (input, credentials) => {
    const context: CallContext = {
      action: "DescribeClusterEndpoints",
      region: input.region,
      clusterId: input.clusterId
    }
    return Effect.flatMap(
      call({
        action: "DescribeClusterEndpoints",
        region: input.region,
        params: { ClusterId: input.clusterId },
        credentials,
        context
      }),
      decodeAs(DescribeClusterEndpointsResponse, context)
    )
  }
})

/**
 * The endpoint URL for a region: the override as given (a `{region}` placeholder is filled in), else the
 * global default, which routes to the nearest region; X-TC-Region picks the region either way.
 */
export const endpointFor = (override: string | undefined, region: string): URL => {
  const raw = (override ?? DEFAULT_ENDPOINT).replaceAll("{region}", region)
  return new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`)
}

/** endpointFor, failing with InvalidInput (field `endpoint`) on a URL that does not parse or is not http(s). */
export const resolveEndpoint = (override: string | undefined, region: string): Effect.Effect<URL, InvalidInput> =>
  Effect.suspend(() => {
    try {
      const url = endpointFor(override, region)
      if (url.protocol === "http:" || url.protocol === "https:") return Effect.succeed(url)
    } catch {
      // reported below
    }
    return Effect.fail(
      new InvalidInput({ field: "endpoint", detail: `not an http(s) URL: ${JSON.stringify(override)}` })
    )
  })
