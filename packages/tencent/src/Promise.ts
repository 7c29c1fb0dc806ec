/**
 * For programs that don't use Effect: the same client behind Promises. Rejections are the tagged error
 * instances of the taxonomy (`error._tag`: "ClusterNotFound", "AuthenticationFailed", ...), never a wrapper.
 *
 * ```ts
 * import { fetchKubeconfig } from "@kubecred/tencent/Promise"
 * const { kubeconfig, expiresAt } = await fetchKubeconfig({ clusterId: "cls-65r1c5nu", region: "ap-guangzhou" })
 * ```
 */
import type { ClusterSummary } from "@kubecred/core/ClusterSummary"
import type { EndpointKind } from "@kubecred/core/Endpoint"
import { encodeDocument } from "@kubecred/core/KubeconfigDocument"
import { InvalidInput, type ProviderError } from "@kubecred/core/KubecredError"
import * as Cause from "effect/Cause"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as YAML from "yaml"
import { TkeClient, type TkeClientOptions, layer } from "./TkeClient.js"

export type { ClusterSummary } from "@kubecred/core/ClusterSummary"
export type { ProviderError } from "@kubecred/core/KubecredError"
export type { TkeClientOptions, TkeCredentials } from "./TkeClient.js"

export interface FetchKubeconfigOptions extends TkeClientOptions {
  readonly clusterId: string
  /** Else TENCENTCLOUD_REGION, else the tccli profile's region. */
  readonly region?: string | undefined
  /** Which API server address the kubeconfig points at; `public` (kubecred's default) unless given. */
  readonly endpoint?: EndpointKind | undefined
  /** The API endpoint URL override (TkeClientOptions.endpoint). */
  readonly apiEndpoint?: string | undefined
}

export interface FetchedKubeconfigResult {
  /** The kubeconfig as YAML. It holds the client key: store it with care (mode 0600). */
  readonly kubeconfig: string
  /** The client certificate's notAfter. */
  readonly expiresAt?: Date
  readonly requestId?: string
}

export interface ListClustersOptions extends TkeClientOptions {
  /** The API endpoint URL override (TkeClientOptions.endpoint). */
  readonly apiEndpoint?: string | undefined
  /** Else the default region. */
  readonly regions?: ReadonlyArray<string> | undefined
  readonly clusterIds?: ReadonlyArray<string> | undefined
  readonly name?: string | undefined
}

/** Runs with the client's own layer; fails with the error itself, dies loudly on a defect. */
const run = <A>(options: TkeClientOptions, program: Effect.Effect<A, ProviderError, TkeClient>): Promise<A> =>
  Effect.runPromiseExit(Effect.provide(program, layer(options))).then((exit) => {
    if (Exit.isSuccess(exit)) return exit.value
    const failure = Cause.failureOption(exit.cause)
    if (Option.isSome(failure)) throw failure.value
    throw Cause.squash(exit.cause)
  })

const clientOptions = ({
  apiEndpoint,
  credentials,
  profile,
  transport,
  env,
  home
}: FetchKubeconfigOptions | ListClustersOptions): TkeClientOptions => ({
  endpoint: apiEndpoint,
  credentials,
  profile,
  transport,
  ...(env === undefined ? {} : { env }),
  ...(home === undefined ? {} : { home })
})

const regionOf = (given: string | undefined) =>
  Effect.gen(function* () {
    if (given !== undefined) return given
    const client = yield* TkeClient
    return yield* Option.match(yield* client.defaultRegion, {
      onSome: Effect.succeed,
      onNone: () =>
        Effect.fail(
          new InvalidInput({
            field: "region",
            detail: "no region given, TENCENTCLOUD_REGION is unset and the tccli profile names none"
          })
        )
    })
  })

export const fetchKubeconfig = (options: FetchKubeconfigOptions): Promise<FetchedKubeconfigResult> =>
  run(
    clientOptions(options),
    Effect.gen(function* () {
      const client = yield* TkeClient
      const region = yield* regionOf(options.region)
      const fetched = yield* client.fetch({
        _tag: "tencent",
        region: region as never,
        clusterId: options.clusterId as never,
        endpoint: options.endpoint ?? "public"
      })
      const plain = yield* Effect.orDie(encodeDocument(fetched.document))
      return {
        kubeconfig: YAML.stringify(plain),
        ...(Option.isSome(fetched.expiresAt) ? { expiresAt: DateTime.toDate(fetched.expiresAt.value) } : {}),
        ...(fetched.requestId ? { requestId: fetched.requestId } : {})
      }
    })
  )

/** Every cluster of every page of every region. */
export const listClusters = (options: ListClustersOptions = {}): Promise<Array<ClusterSummary>> =>
  run(
    // Here `endpoint` can only mean the API URL; `apiEndpoint` is accepted too, for symmetry with fetchKubeconfig.
    clientOptions({ ...options, apiEndpoint: options.apiEndpoint ?? options.endpoint }),
    Effect.gen(function* () {
      const client = yield* TkeClient
      const regions =
        options.regions && options.regions.length > 0 ? [...options.regions] : [yield* regionOf(undefined)]
      const summaries = yield* Stream.runCollect(
        client.listClusters({
          regions,
          ...(options.clusterIds ? { clusterIds: [...options.clusterIds] } : {}),
          ...(options.name === undefined ? {} : { name: options.name })
        })
      )
      return Array.from(summaries)
    })
  )
