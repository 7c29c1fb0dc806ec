/**
 * `kubecred list [provider]`: clusters with id, name, region, status, version and endpoints, every page.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type { ClusterSummary } from "@kubecred/core/ClusterSummary"
import type { ProviderError } from "@kubecred/core/KubecredError"
import type { ProviderName } from "@kubecred/core/Provider"
import * as Chunk from "effect/Chunk"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { renderFailure } from "../internal/errors.js"
import { globalOptions } from "../internal/globalFlags.js"
import { colorEnabled, paint, printable, safeJson, table } from "../internal/output.js"
import * as Providers from "../internal/Providers.js"
import { allRegions } from "../internal/regions.js"
import { allRegionsOption, invalid, providerChoices, regionsOption, resolveRegion, validateRegion } from "./shared.js"

/** The regions to look in: --region..., --all-regions, the mock's, or the provider's default. */
export const regionsFor = (
  provider: ProviderName,
  regions: ReadonlyArray<string>,
  all: boolean
): Effect.Effect<ReadonlyArray<string>, ProviderError, Providers.Providers> =>
  Effect.gen(function* () {
    if (all && regions.length > 0)
      return yield* Effect.fail(invalid("region", "give --region or --all-regions, not both"))
    if (all) return allRegions(provider)
    if (regions.length > 0) return yield* Effect.forEach(regions, validateRegion)
    const providers = yield* Providers.Providers
    if (Option.isSome(providers.mock)) {
      return [...new Set(providers.mock.value[provider].clusters.map((c) => c.region))]
    }
    return [yield* resolveRegion(provider, Option.none())]
  })

export const listClusters = (provider: ProviderName, regions: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const providers = yield* Providers.Providers
    const source = yield* providers.source(provider)
    return Chunk.toReadonlyArray(yield* Stream.runCollect(source.listClusters({ regions })))
  })

const endpoints = (c: ClusterSummary) =>
  [c.endpoints.public ? "public" : undefined, c.endpoints.private ? "private" : undefined]
    .filter((e) => e !== undefined)
    .join(",") || "-"

export const command = Command.make(
  "list",
  {
    provider: Args.choice(providerChoices, { name: "provider" }).pipe(
      Args.optional,
      Args.withDescription("tencent|tke or alibaba|ack; both when omitted")
    ),
    region: regionsOption,
    allRegions: allRegionsOption,
    output: Options.choice("output", ["table", "json"]).pipe(
      Options.withAlias("o"),
      Options.withDefault("table" as const),
      Options.withDescription("table (default) or json.")
    ),
    ...globalOptions
  },
  (config) =>
    Effect.gen(function* () {
      const wanted: ReadonlyArray<ProviderName> = Option.isSome(config.provider)
        ? [config.provider.value]
        : ["tencent", "alibaba"]
      const rows: Array<ClusterSummary> = []
      let firstError: ProviderError | undefined
      for (const provider of wanted) {
        const listed = yield* regionsFor(provider, config.region, config.allRegions).pipe(
          Effect.flatMap((regions) => listClusters(provider, regions)),
          Effect.either
        )
        if (listed._tag === "Right") rows.push(...listed.right)
        else if (wanted.length === 1) return yield* Effect.fail(listed.left)
        else {
          firstError ??= listed.left
          yield* Effect.sync(() =>
            process.stderr.write(
              `${renderFailure(listed.left).line.replace(/^kubecred: /, `kubecred: skipping ${provider}: `)}\n`
            )
          )
        }
      }
      if (rows.length === 0 && firstError !== undefined) return yield* Effect.fail(firstError)
      if (config.output === "json") return yield* Console.log(safeJson(rows))
      if (rows.length === 0) return yield* Console.log("no clusters found")
      const color = colorEnabled()
      const both = wanted.length > 1
      yield* Console.log(
        table(
          [...(both ? ["PROVIDER"] : []), "ID", "NAME", "REGION", "STATUS", "VERSION", "ENDPOINTS"],
          rows.map((c) => [
            ...(both ? [c.provider] : []),
            printable(c.clusterId),
            printable(c.name),
            printable(c.region),
            c.phase === "running" ? printable(c.status) : paint(color, "yellow", printable(c.status)),
            printable(c.version ?? "-"),
            printable(endpoints(c))
          ])
        )
      )
    })
).pipe(
  Command.withDescription("List clusters with id, name, region, status, version and API endpoints (every page)."),
  Command.provide((config) => Providers.layer(config))
)
