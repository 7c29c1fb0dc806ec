/**
 * Arguments, options and steps shared by the commands: provider and cluster id, region resolution, the fetch
 * request (validated before anything is sent).
 */
import * as Args from "@effect/cli/Args"
import * as Options from "@effect/cli/Options"
import { clusterIdFor } from "@kubecred/core/ClusterId"
import { TemporaryDurationFromString } from "@kubecred/core/Duration"
import type { FetchedKubeconfig } from "@kubecred/core/FetchedKubeconfig"
import { decodeFetchRequest, type FetchRequest } from "@kubecred/core/FetchRequest"
import { InvalidInput, type KubeconfigError, type ProviderError } from "@kubecred/core/KubecredError"
import * as KubeconfigPaths from "@kubecred/kubeconfig/KubeconfigPaths"
import { KubeconfigStore } from "@kubecred/kubeconfig/KubeconfigStore"
import * as fs from "node:fs"
import { type ProviderName, productName } from "@kubecred/core/Provider"
import { Region } from "@kubecred/core/Region"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { envRegion } from "../internal/identity.js"
import { Providers } from "../internal/Providers.js"

export const providerChoices: ReadonlyArray<[string, ProviderName]> = [
  ["tencent", "tencent"],
  ["tke", "tencent"],
  ["alibaba", "alibaba"],
  ["ack", "alibaba"]
]

export const providerArg = Args.choice(providerChoices, { name: "provider" })

/** A provider, or both when omitted (list, whoami). */
export const optionalProviderArg = Args.choice(providerChoices, { name: "provider" }).pipe(Args.optional)

/** The providers a command with an optional provider argument covers. */
export const wantedProviders = (provider: Option.Option<ProviderName>): ReadonlyArray<ProviderName> =>
  Option.isSome(provider) ? [provider.value] : ["tencent", "alibaba"]

export const clusterIdArg = Args.text({ name: "cluster-id" })

/** --region, checked against the region shape when the line is parsed. */
export const regionOption = Options.text("region").pipe(Options.withSchema(Region), Options.optional)

export const regionsOption = Options.text("region").pipe(
  Options.repeated,
  Options.withSchema(Schema.mutable(Schema.Array(Region)))
)

export const allRegionsOption = Options.boolean("all-regions")

export const privateOption = Options.boolean("private")

/** --ttl as ACK minutes (15m to 3d), decoded when the line is parsed. */
export const ttlOption = Options.text("ttl").pipe(Options.withSchema(TemporaryDurationFromString), Options.optional)

export const invalid = (field: string, detail: string) => new InvalidInput({ field, detail })

const TEMPLATE_KEYS = ["provider", "region", "id", "clusterId", "name", "endpoint"]

export const contextTemplateOption = Options.text("context-template").pipe(
  Options.optional,
  Options.withDescription(
    "Name new contexts (and their cluster and user entries) from {provider} {region} {id} {name} {endpoint}, e.g. {name} or tke-{name}; default {provider}-{region}-{id}. On sync and refresh it also renames kubecred's existing contexts for these clusters (without it they keep their names)."
  )
)

/** The template, checked: only known placeholders, and something besides them. */
export const validateTemplate = (template: Option.Option<string>): Effect.Effect<string | undefined, InvalidInput> => {
  if (Option.isNone(template)) return Effect.succeed(undefined)
  const text = template.value
  const unknown = [...text.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!).filter((key) => !TEMPLATE_KEYS.includes(key))
  if (unknown.length > 0) {
    return Effect.fail(
      invalid("context-template", `unknown placeholder {${unknown[0]}}: use {provider} {region} {id} {name} {endpoint}`)
    )
  }
  if (text.trim() === "" || /[\u0000-\u001f\u007f]/.test(text)) {
    return Effect.fail(invalid("context-template", "the template is empty or has a control character"))
  }
  return Effect.succeed(text)
}

/** The cluster's name in the cloud (one listing call, by id); undefined when the listing cannot say. */
export const clusterNameOf = (request: FetchRequest): Effect.Effect<string | undefined, never, Providers> =>
  Effect.gen(function* () {
    const providers = yield* Providers
    const source = yield* providers.source(request._tag)
    const found = yield* source.describeCluster(request)
    return Option.isSome(found) ? found.value.name : undefined
  }).pipe(Effect.orElseSucceed(() => undefined))

/** The fetched kubeconfig with the cluster's name recorded in its provenance. */
export const named = (fetched: FetchedKubeconfig, name: string | undefined): FetchedKubeconfig =>
  name === undefined ? fetched : { ...fetched, provenance: { ...fetched.provenance, name } }

const parseMessage = (error: ParseResult.ParseError) =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => issue.message)
    .join("; ")

/** The cluster id, checked against the provider's id shape. */
export const validateClusterId = (provider: ProviderName, clusterId: string) =>
  Either.match(Schema.decodeUnknownEither(clusterIdFor(provider))(clusterId), {
    onLeft: (error) => Effect.fail(invalid("cluster-id", parseMessage(error))),
    onRight: (id) => Effect.succeed(id as string)
  })

export const validateRegion = (region: string) =>
  Either.match(Schema.decodeUnknownEither(Region)(region), {
    onLeft: (error) => Effect.fail(invalid("region", parseMessage(error))),
    onRight: (r) => Effect.succeed(r as string)
  })

/** ACK minutes from --ttl; TKE refuses it (its API has no lifetime). */
export const validateTtl = (
  provider: ProviderName,
  ttl: Option.Option<number>
): Effect.Effect<number | undefined, InvalidInput> => {
  if (Option.isNone(ttl)) return Effect.succeed(undefined)
  if (provider === "tencent") {
    return Effect.fail(
      invalid(
        "ttl",
        "TKE kubeconfigs have no lifetime parameter; --ttl applies to ACK only (use --exec to avoid embedding keys)"
      )
    )
  }
  return Effect.succeed(ttl.value)
}

/** --region, else the mock's region for that cluster, else the provider's default, else InvalidInput. */
export const resolveRegion = (
  provider: ProviderName,
  region: Option.Option<string>,
  clusterId?: string
): Effect.Effect<string, ProviderError, Providers> =>
  Effect.gen(function* () {
    if (Option.isSome(region)) return yield* validateRegion(region.value)
    const providers = yield* Providers
    if (Option.isSome(providers.mock) && clusterId !== undefined) {
      const found = providers.mock.value[provider].clusters.find((c) => c.clusterId === clusterId)
      if (found) return found.region
    }
    const fromEnv = envRegion(provider, process.env)
    if (fromEnv !== undefined) return yield* validateRegion(fromEnv)
    const source = yield* providers.source(provider)
    const fallback = yield* source.defaultRegion
    if (Option.isSome(fallback)) return yield* validateRegion(fallback.value)
    return yield* Effect.fail(
      new InvalidInput({
        detail: `no region: pass --region or set ${provider === "tencent" ? "TENCENTCLOUD_REGION" : "ALIBABA_CLOUD_REGION_ID"}`
      })
    )
  })

export interface FetchFlags {
  readonly region: Option.Option<string>
  readonly private: boolean
  readonly ttl: Option.Option<number>
}

/** Everything checked (id, ttl, region) into a FetchRequest; nothing has been sent yet. */
export const buildRequest = (
  provider: ProviderName,
  clusterId: string,
  flags: FetchFlags,
  defaultTtlMinutes?: number
): Effect.Effect<FetchRequest, ProviderError, Providers> =>
  Effect.gen(function* () {
    const id = yield* validateClusterId(provider, clusterId)
    const ttl = (yield* validateTtl(provider, flags.ttl)) ?? (provider === "alibaba" ? defaultTtlMinutes : undefined)
    const region = yield* resolveRegion(provider, flags.region, id)
    const raw =
      provider === "tencent"
        ? { _tag: "tencent", region, clusterId: id, endpoint: flags.private ? "private" : "public" }
        : {
            _tag: "alibaba",
            region,
            clusterId: id,
            endpoint: flags.private ? "private" : "public",
            ...(ttl === undefined ? {} : { temporaryDurationMinutes: ttl })
          }
    return yield* decodeFetchRequest(raw).pipe(Effect.mapError((error) => invalid("request", parseMessage(error))))
  })

/** Fetches one kubeconfig through the provider's source. */
export const fetchKubeconfig = (request: FetchRequest): Effect.Effect<FetchedKubeconfig, ProviderError, Providers> =>
  Effect.gen(function* () {
    const providers = yield* Providers
    const source = yield* providers.source(request._tag)
    return yield* source.fetch(request)
  })

export const describeCluster = (request: FetchRequest) =>
  `${productName(request._tag)} ${request.clusterId} (${request.region}, ${request.endpoint})`

/**
 * Before anything is fetched: the kubeconfig that will be written, when it exists, must be readable
 * (an unreadable file fails here, exit 6, and no request is sent).
 */
export const preflightKubeconfig = (
  kubeconfig: string | undefined
): Effect.Effect<void, KubeconfigError, KubeconfigStore> =>
  Effect.gen(function* () {
    const target = KubeconfigPaths.resolve({ explicit: kubeconfig }).writeTarget
    if (!fs.existsSync(target)) return
    const store = yield* KubeconfigStore
    yield* store.inspect({ kubeconfig: target })
  })
