/**
 * `kubecred list [provider]`: clusters with id, name, region, status, version and endpoints, every page.
 */
import * as Command from "@effect/cli/Command"
import type { ClusterSummary } from "@kubecred/core/ClusterSummary"
import type { ProviderError } from "@kubecred/core/KubecredError"
import type { ProviderName } from "@kubecred/core/Provider"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { Reported, renderFailure } from "../internal/errors.js"
import { ExitCode } from "../internal/exitCode.js"
import { globalOptions } from "../internal/globalFlags.js"
import { writeListing } from "../internal/listingCache.js"
import { type Format, noHeadersOption, outputOption, printData } from "../internal/outputFormat.js"
import { type Listing, listIn, namedRegions, type Scope } from "../internal/listing.js"
import { colorEnabled, paint, printable, table } from "../internal/output.js"
import { roleOptions } from "../internal/roleFlags.js"
import * as Providers from "../internal/Providers.js"
import {
  allRegionsOption,
  optionalProviderArg,
  wantedProviders,
  regionsOption,
  resolveRegion,
  validateRegion
} from "./shared.js"

/** One provider's listing in the scope the flags give (--region..., --all-regions, the mock's, the default). */
export const listProvider = (provider: ProviderName, scope: Scope, options: { readonly endpoints?: boolean } = {}) =>
  listIn(
    provider,
    scope,
    namedRegions(provider, scope.regions, resolveRegion(provider, Option.none()), validateRegion),
    options
  )

const stderr = (line: string) => Effect.sync(() => process.stderr.write(`${line}\n`))

/** Warnings for skipped regions and one line per failed region; true when the answer is partial. */
export const reportListing = (listing: Listing): Effect.Effect<boolean> =>
  Effect.gen(function* () {
    for (const { region, reason } of listing.skipped) {
      yield* stderr(`kubecred warning: skipping ${listing.provider} region ${region}: ${reason}`)
    }
    for (const { region, error } of listing.failed) {
      yield* stderr(renderFailure(error).line.replace(/^kubecred: /, `kubecred: ${listing.provider} ${region}: `))
    }
    return listing.failed.length > 0
  })

const endpoints = (c: ClusterSummary) =>
  [c.endpoints.public ? "public" : undefined, c.endpoints.private ? "private" : undefined]
    .filter((e) => e !== undefined)
    .join(",") || "-"

export const command = Command.make(
  "list",
  {
    provider: optionalProviderArg,
    region: regionsOption,
    allRegions: allRegionsOption,
    output: outputOption(["table", "wide", "json", "yaml", "name"], "table"),
    noHeaders: noHeadersOption,
    ...globalOptions,
    ...roleOptions
  },
  (config) =>
    Effect.gen(function* () {
      const wanted = wantedProviders(config.provider)
      const scope = { regions: config.region, all: config.allRegions }
      const rows: Array<ClusterSummary> = []
      let firstError: ProviderError | undefined
      let partial = false
      for (const provider of wanted) {
        const listed = yield* Effect.either(listProvider(provider, scope, { endpoints: true }))
        if (listed._tag === "Right") {
          rows.push(...listed.right.clusters)
          partial = (yield* reportListing(listed.right)) || partial
        } else if (wanted.length === 1) return yield* Effect.fail(listed.left)
        else if (listed.left._tag === "CredentialsMissing") {
          // a cloud this machine has no credentials for is not part of the answer: a warning, not a failure
          firstError ??= listed.left
          yield* stderr(`kubecred warning: skipping ${provider}: ${listed.left.message}`)
        } else {
          firstError ??= listed.left
          partial = true
          yield* stderr(renderFailure(listed.left).line.replace(/^kubecred: /, `kubecred: skipping ${provider}: `))
        }
      }
      if (rows.length === 0 && firstError !== undefined) return yield* Effect.fail(firstError)
      writeListing(rows)
      yield* printClusters(config.output, rows, wanted.length > 1, !config.noHeaders)
      if (partial) return yield* Effect.fail(new Reported(ExitCode.Partial))
    })
).pipe(
  Command.withDescription("List clusters with id, name, region, status, version and API endpoints (every page)."),
  Command.provideEffect(Providers.Providers, (config) => Providers.make(config))
)

const printClusters = (output: Format, rows: ReadonlyArray<ClusterSummary>, several: boolean, headers: boolean) =>
  Effect.gen(function* () {
    if (output === "json" || output === "yaml" || output === "name") {
      return yield* printData(output, rows, () => rows.map((c) => `${c.provider}/${c.clusterId}`))
    }
    if (rows.length === 0) return yield* Console.log("no clusters found")
    const color = colorEnabled()
    const wide = output === "wide"
    const both = several || wide
    yield* Console.log(
      table(
        [
          ...(both ? ["PROVIDER"] : []),
          "ID",
          "NAME",
          "REGION",
          "STATUS",
          "VERSION",
          "ENDPOINTS",
          ...(wide ? ["PUBLIC", "PRIVATE"] : [])
        ],
        rows.map((c) => [
          ...(both ? [c.provider] : []),
          printable(c.clusterId),
          printable(c.name),
          printable(c.region),
          c.phase === "running" ? printable(c.status) : paint(color, "yellow", printable(c.status)),
          printable(c.version ?? "-"),
          printable(endpoints(c)),
          ...(wide ? [printable(c.endpoints.public ?? "-"), printable(c.endpoints.private ?? "-")] : [])
        ]),
        { headers }
      )
    )
  })
