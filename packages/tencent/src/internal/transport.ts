/**
 * What both transports implement: one signed call of one action, answering the `Response` object of a
 * successful answer (not yet decoded for the action), or a ProviderError decided at the boundary.
 */
import { InvalidInput, type ProviderError } from "@kubecred/core/KubecredError"
import * as Effect from "effect/Effect"
import type { TkeCredentials } from "../TkeCredentials.js"
import type { CallContext } from "./errorMapping.js"

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

export interface TkeTransport {
  readonly name: "http" | "sdk"
  readonly call: (call: TkeCall) => Effect.Effect<TkeAnswer, ProviderError>
}

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
