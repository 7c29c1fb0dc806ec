/**
 * A Promise facade for programs that do not use Effect. Same code underneath; rejections are the tagged error
 * instances of @kubecred/core/KubecredError (check `error._tag`, e.g. "ClusterNotFound", "Throttled").
 */
import * as Cause from "effect/Cause"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Chunk from "effect/Chunk"
import type { ClusterSummary } from "@kubecred/core/ClusterSummary"
import { encodeDocument } from "@kubecred/core/KubeconfigDocument"
import { InvalidInput, MalformedResponse, type ProviderError } from "@kubecred/core/KubecredError"
import { AlibabaFetchRequest } from "@kubecred/core/FetchRequest"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { stringify } from "yaml"
import { type AckClientOptions, make } from "./AckClient.js"

export interface FetchKubeconfigOptions extends Omit<AckClientOptions, "endpoint"> {
  readonly clusterId: string
  /** Else ALIBABA_CLOUD_REGION_ID, else the aliyun CLI profile's region_id. */
  readonly region?: string | undefined
  /** Default public. */
  readonly endpoint?: "public" | "private" | undefined
  /** 15..4320: a temporary kubeconfig; omitted: the long-lived one. */
  readonly temporaryDurationMinutes?: number | undefined
  /**
   * The API origin override (AckClientOptions.endpoint, renamed because `endpoint` is the network side here);
   * default KUBECRED_ACK_ENDPOINT from `env` (else process.env), else the regional endpoint.
   */
  readonly apiEndpoint?: string | undefined
  readonly signal?: AbortSignal | undefined
}

export interface FetchedKubeconfigResult {
  /** The kubeconfig as YAML, key material included: write it with mode 0600. */
  readonly kubeconfig: string
  readonly expiresAt?: Date | undefined
  readonly requestId?: string | undefined
  /** Who the credential is for (the client certificate's CN), when known. */
  readonly identity?: string | undefined
  readonly attempts: number
}

export interface ListClustersOptions extends Omit<AckClientOptions, "endpoint"> {
  /** As in fetchKubeconfig. */
  readonly apiEndpoint?: string | undefined
  readonly regions: ReadonlyArray<string>
  readonly clusterIds?: ReadonlyArray<string> | undefined
  readonly name?: string | undefined
  readonly signal?: AbortSignal | undefined
}

const decodeRequest = Schema.decodeUnknown(AlibabaFetchRequest, { errors: "first" })

/** Runs an effect, rejecting with the first failure itself (not wrapped). */
const run = <A>(effect: Effect.Effect<A, ProviderError>, signal: AbortSignal | undefined): Promise<A> =>
  Effect.runPromiseExit(effect, signal ? { signal } : undefined).then((exit) => {
    if (Exit.isSuccess(exit)) return exit.value
    const failure = Cause.failureOption(exit.cause)
    if (Option.isSome(failure)) throw failure.value
    throw Cause.squash(exit.cause)
  })

const clientOptions = (
  options: Omit<AckClientOptions, "endpoint"> & { readonly apiEndpoint?: string | undefined }
): AckClientOptions => ({
  credentials: options.credentials,
  profile: options.profile,
  transport: options.transport,
  signatureVersion: options.signatureVersion,
  endpoint: options.apiEndpoint ?? (options.env ?? process.env).KUBECRED_ACK_ENDPOINT,
  ...(options.env === undefined ? {} : { env: options.env }),
  ...(options.home === undefined ? {} : { home: options.home })
})

export const fetchKubeconfig = (options: FetchKubeconfigOptions): Promise<FetchedKubeconfigResult> =>
  run(
    Effect.scoped(
      Effect.gen(function* () {
        const source = yield* make(clientOptions(options))
        const region =
          options.region ??
          Option.getOrUndefined(yield* source.defaultRegion) ??
          (yield* Effect.fail(
            new InvalidInput({
              field: "region",
              detail: "no region given, ALIBABA_CLOUD_REGION_ID unset and no region_id in the aliyun CLI profile"
            })
          ))
        const request = yield* decodeRequest({
          _tag: "alibaba",
          region,
          clusterId: options.clusterId,
          endpoint: options.endpoint ?? "public",
          ...(options.temporaryDurationMinutes === undefined
            ? {}
            : { temporaryDurationMinutes: options.temporaryDurationMinutes })
        }).pipe(
          Effect.mapError(
            (e) =>
              new InvalidInput({
                detail: ParseResult.ArrayFormatter.formatErrorSync(e)
                  .map((i) => i.message)
                  .join("; ")
              })
          )
        )
        const fetched = yield* source.fetch(request)
        const encoded = yield* encodeDocument(fetched.document).pipe(
          Effect.mapError(
            () =>
              new MalformedResponse({
                provider: "alibaba",
                action: "DescribeClusterUserKubeconfig",
                detail: "the kubeconfig cannot be written back as YAML"
              })
          )
        )
        return {
          kubeconfig: stringify(encoded),
          expiresAt: Option.getOrUndefined(Option.map(fetched.expiresAt, DateTime.toDateUtc)),
          requestId: fetched.requestId,
          identity: fetched.provenance.identity,
          attempts: fetched.attempts
        }
      })
    ),
    options.signal
  )

export const listClusters = (options: ListClustersOptions): Promise<Array<ClusterSummary>> =>
  run(
    Effect.scoped(
      Effect.gen(function* () {
        const source = yield* make(clientOptions(options))
        const rows = yield* Stream.runCollect(
          source.listClusters({
            regions: options.regions,
            ...(options.clusterIds === undefined ? {} : { clusterIds: options.clusterIds }),
            ...(options.name === undefined ? {} : { name: options.name })
          })
        )
        return Chunk.toArray(rows)
      })
    ),
    options.signal
  )
