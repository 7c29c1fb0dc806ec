/**
 * The Promise facade both providers publish for programs that do not use Effect: the same options and the same
 * results on every cloud (`signal` to abort, `attempts` and `identity` in the result), and rejections that are
 * the tagged error instances of the taxonomy themselves (`error._tag`), never a wrapper.
 *
 * One ManagedRuntime per configuration (the client options, secrets compared by identity): calls in a loop share
 * the pacer, the credential cache and the keep-alive agents, so they are paced against each other as one
 * Effect program's calls are. `dispose()` releases every runtime (agents, SDK clients).
 */
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as YAML from "yaml"
import type { ClusterSummary } from "./ClusterSummary.js"
import type { EndpointKind } from "./Endpoint.js"
import { allowListed, toKubeconfig } from "./AllowedKubeconfig.js"
import { InvalidInput, type ProviderError } from "./KubecredError.js"
import { KubeconfigSource } from "./KubeconfigSource.js"
import type { ProviderName } from "./Provider.js"

export interface FetchOptions {
  readonly clusterId: string
  /** Else the provider's region variable, else its CLI profile's region. */
  readonly region?: string | undefined
  /** Which API server address the kubeconfig points at; `public` (kubecred's default) unless given. */
  readonly endpoint?: EndpointKind | undefined
  /** ACK only: a temporary kubeconfig of this many minutes (15..4320). */
  readonly temporaryDurationMinutes?: number | undefined
  /** Aborts the call (the request in flight included). */
  readonly signal?: AbortSignal | undefined
}

export interface FetchedKubeconfigResult {
  /**
   * The kubeconfig as YAML: the answer's context, its cluster and user, with only the fields kubecred writes
   * (AllowedKubeconfig; an answer with any other refuses with MalformedResponse). It holds the client key: store
   * it with care (mode 0600).
   */
  readonly kubeconfig: string
  /** ACK's expiration, else the client certificate's notAfter. */
  readonly expiresAt?: Date | undefined
  readonly requestId?: string | undefined
  /** Whom the credential is for (the client certificate's CN), when known. */
  readonly identity?: string | undefined
  /** How many attempts the call took (1 = no retry). */
  readonly attempts: number
}

export interface ListOptions {
  /** Else the default region. */
  readonly regions?: ReadonlyArray<string> | undefined
  readonly clusterIds?: ReadonlyArray<string> | undefined
  readonly name?: string | undefined
  readonly signal?: AbortSignal | undefined
}

export interface Facade<O> {
  readonly fetchKubeconfig: (options: O & FetchOptions) => Promise<FetchedKubeconfigResult>
  readonly listClusters: (options?: O & ListOptions) => Promise<Array<ClusterSummary>>
  /** Releases every runtime built so far. */
  readonly dispose: () => Promise<void>
}

export interface FacadeSpec<O> {
  readonly provider: ProviderName
  /** The client options of a call (its configuration): what the runtime is built from and keyed by. */
  readonly clientOptions: (options: O) => object
  /** The service for a configuration, self-contained. */
  readonly layer: (clientOptions: object) => Layer.Layer<KubeconfigSource>
  /** Said when a fetch names no region and there is no default (which variable and profile were looked at). */
  readonly noRegion: string
}

/** A key for a configuration: secrets (Redacted) and other objects without JSON form by identity. */
const keyer = () => {
  const ids = new WeakMap<object, number>()
  let next = 0
  return (value: object): string =>
    JSON.stringify(value, (_, v) => {
      if (Redacted.isRedacted(v)) {
        if (!ids.has(v)) ids.set(v, next++)
        return `<redacted#${ids.get(v)}>`
      }
      return v
    })
}

const run = <A>(
  runtime: ManagedRuntime.ManagedRuntime<KubeconfigSource, never>,
  effect: Effect.Effect<A, ProviderError, KubeconfigSource>,
  signal: AbortSignal | undefined
): Promise<A> =>
  runtime.runPromiseExit(effect, signal ? { signal } : undefined).then((exit) => {
    if (Exit.isSuccess(exit)) return exit.value
    const failure = Cause.failureOption(exit.cause)
    if (Option.isSome(failure)) throw failure.value
    throw Cause.squash(exit.cause)
  })

const perCall = new Set([
  "clusterId",
  "region",
  "endpoint",
  "temporaryDurationMinutes",
  "signal",
  "regions",
  "clusterIds",
  "name"
])

export const make = <O extends object>(spec: FacadeSpec<O>): Facade<O> => {
  const key = keyer()
  const runtimes = new Map<string, ManagedRuntime.ManagedRuntime<KubeconfigSource, never>>()
  const runtimeFor = (options: O) => {
    const config = spec.clientOptions(
      Object.fromEntries(Object.entries(options).filter(([name]) => !perCall.has(name))) as O
    )
    const id = key(config)
    let runtime = runtimes.get(id)
    if (runtime === undefined) {
      runtime = ManagedRuntime.make(spec.layer(config))
      runtimes.set(id, runtime)
    }
    return runtime
  }

  const fetchKubeconfig = (options: O & FetchOptions): Promise<FetchedKubeconfigResult> =>
    run(
      runtimeFor(options),
      Effect.gen(function* () {
        const source = yield* KubeconfigSource
        const region =
          options.region ??
          Option.getOrUndefined(yield* source.defaultRegion) ??
          (yield* new InvalidInput({ field: "region", detail: spec.noRegion }))
        const fetched = yield* source.fetch({
          _tag: spec.provider,
          region,
          clusterId: options.clusterId,
          endpoint: options.endpoint ?? "public",
          ...(options.temporaryDurationMinutes === undefined
            ? {}
            : { temporaryDurationMinutes: options.temporaryDurationMinutes })
        } as never)
        // the answer is data: only its allow-listed parts are handed out (an exec user, say, refuses it)
        const allowed = yield* allowListed(fetched.document, spec.provider)
        return {
          kubeconfig: YAML.stringify(toKubeconfig(allowed)),
          expiresAt: Option.getOrUndefined(Option.map(fetched.expiresAt, DateTime.toDateUtc)),
          requestId: fetched.requestId,
          identity: fetched.provenance.identity,
          attempts: fetched.attempts
        }
      }),
      options.signal
    )

  const listClusters = (options: O & ListOptions = {} as O & ListOptions): Promise<Array<ClusterSummary>> =>
    run(
      runtimeFor(options),
      Effect.flatMap(KubeconfigSource, (source) =>
        Stream.runCollect(
          source.listClusters({
            regions: [...(options.regions ?? [])],
            ...(options.clusterIds === undefined ? {} : { clusterIds: [...options.clusterIds] }),
            ...(options.name === undefined ? {} : { name: options.name })
          })
        )
      ).pipe(Effect.map(Chunk.toArray)),
      options.signal
    )

  const dispose = async () => {
    const all = [...runtimes.values()]
    runtimes.clear()
    await Promise.all(all.map((runtime) => runtime.dispose()))
  }

  return { fetchKubeconfig, listClusters, dispose }
}
