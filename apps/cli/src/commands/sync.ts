/**
 * `kubecred sync <provider>`: add every matching cluster of some regions (or all), paced under the provider's
 * rate limit, one locked write; `--prune` removes contexts kubecred added for clusters that no longer exist.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type { ClusterSummary } from "@kubecred/core/ClusterSummary"
import type { FetchedKubeconfig } from "@kubecred/core/FetchedKubeconfig"
import { decodeFetchRequest, type FetchRequest } from "@kubecred/core/FetchRequest"
import type { ProviderError } from "@kubecred/core/KubecredError"
import { ThrottlePolicy } from "@kubecred/core/Policy"
import { KubeconfigStore } from "@kubecred/kubeconfig/KubeconfigStore"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { renderFailure, Reported } from "../internal/errors.js"
import { execSpec, primeCache } from "../internal/exec.js"
import { exitCodeFor } from "../internal/exitCode.js"
import { globalOptions } from "../internal/globalFlags.js"
import { globToRegExp } from "../internal/output.js"
import { makeProgress } from "../internal/progress.js"
import * as Providers from "../internal/Providers.js"
import { EXEC_DEFAULT_TTL_MINUTES, execOption } from "./add.js"
import { listClusters, regionsFor } from "./list.js"
import {
  allRegionsOption,
  invalid,
  kubeconfigOption,
  preflightKubeconfig,
  privateOption,
  providerArg,
  regionsOption,
  ttlOption,
  validateTtl
} from "./shared.js"

const filterKeys = ["name", "id", "region"] as const
type FilterKey = (typeof filterKeys)[number]

export const parseFilters = (filters: ReadonlyArray<string>) =>
  Effect.forEach(filters, (filter) => {
    const eq = filter.indexOf("=")
    const key = filter.slice(0, eq) as FilterKey
    if (eq <= 0 || !filterKeys.includes(key) || eq === filter.length - 1) {
      return Effect.fail(
        invalid("filter", `invalid filter ${JSON.stringify(filter)}: expected name=GLOB, id=GLOB or region=GLOB`)
      )
    }
    return Effect.succeed({ key, pattern: globToRegExp(filter.slice(eq + 1)) })
  })

const matches = (cluster: ClusterSummary, filters: ReadonlyArray<{ key: FilterKey; pattern: RegExp }>) =>
  filters.every(({ key, pattern }) =>
    pattern.test(key === "name" ? cluster.name : key === "id" ? cluster.clusterId : cluster.region)
  )

export const command = Command.make(
  "sync",
  {
    provider: providerArg,
    region: regionsOption,
    allRegions: allRegionsOption,
    filter: Options.text("filter").pipe(
      Options.repeated,
      Options.withDescription("Only clusters matching name=GLOB (also id=GLOB, region=GLOB); repeat to narrow.")
    ),
    private: privateOption,
    ttl: ttlOption,
    exec: execOption,
    prune: Options.boolean("prune").pipe(
      Options.withDescription("Remove contexts kubecred added for clusters of these regions that no longer exist.")
    ),
    kubeconfig: kubeconfigOption,
    ...globalOptions
  },
  (config) =>
    Effect.gen(function* () {
      const provider = config.provider
      const filters = yield* parseFilters(config.filter)
      const ttlMinutes =
        (yield* validateTtl(provider, config.ttl)) ??
        (provider === "alibaba" && config.exec ? EXEC_DEFAULT_TTL_MINUTES : undefined)
      const regions = yield* regionsFor(provider, config.region, config.allRegions)
      yield* preflightKubeconfig(Option.getOrUndefined(config.kubeconfig))
      const listed = yield* listClusters(provider, regions)
      const matching = listed.filter((c) => matches(c, filters))
      const running = matching.filter((c) => c.phase === "running")
      const notRunning = matching.filter((c) => c.phase !== "running")

      const progress = yield* Effect.promise(() => makeProgress(running.length, `sync ${provider}`))
      const throttle = yield* ThrottlePolicy
      const fetched = yield* Effect.forEach(
        running,
        (cluster) =>
          decodeFetchRequest({
            _tag: provider,
            region: cluster.region,
            clusterId: cluster.clusterId,
            endpoint: config.private ? "private" : "public",
            ...(provider === "alibaba" && ttlMinutes !== undefined ? { temporaryDurationMinutes: ttlMinutes } : {})
          }).pipe(
            Effect.mapError((e) => invalid("cluster", e.message)),
            Effect.flatMap((request) =>
              Effect.flatMap(Providers.Providers, (p) => p.source(provider)).pipe(
                Effect.flatMap((source) => source.fetch(request)),
                Effect.map((kubeconfig) => ({ request, kubeconfig }))
              )
            ),
            Effect.either,
            Effect.tap((result) =>
              Effect.sync(() => progress.tick(cluster.clusterId, Either.isRight(result) ? "ok" : "failed"))
            ),
            Effect.map((result) => ({ cluster, result }))
          ),
        { concurrency: Math.max(1, Math.min(throttle.concurrency, 8)) }
      ).pipe(Effect.ensuring(Effect.sync(() => progress.stop())))

      const ok: Array<{ request: FetchRequest; kubeconfig: FetchedKubeconfig }> = []
      const failed: Array<{ cluster: ClusterSummary; error: ProviderError }> = []
      for (const { cluster, result } of fetched) {
        if (Either.isRight(result)) ok.push(result.right)
        else failed.push({ cluster, error: result.left })
      }

      const store = yield* KubeconfigStore
      const kubeconfig = Option.getOrUndefined(config.kubeconfig)
      const items = yield* Effect.forEach(ok, ({ request, kubeconfig: fetchedKubeconfig }) =>
        Effect.map(config.exec ? execSpec(request, config.ttl) : Effect.succeed(undefined), (exec) => ({
          fetched: fetchedKubeconfig,
          options: { setCurrent: false, ...(exec ? { exec } : {}) }
        }))
      )
      const results =
        items.length > 0 ? yield* store.addMany(items, kubeconfig === undefined ? {} : { kubeconfig }) : undefined
      if (config.exec)
        yield* Effect.forEach(ok, ({ request, kubeconfig: k }) => primeCache(request, k), { discard: true })

      let pruned: ReadonlyArray<string> = []
      if (config.prune) {
        const present = new Set(listed.map((c) => c.clusterId))
        const statuses = yield* store.inspect({ kubeconfig })
        const stale = statuses
          .filter((s) => s.managed && s.provenance !== undefined)
          .filter((s) => s.provenance!.provider === provider)
          .filter((s) => regions.length === 0 || regions.includes(s.provenance!.region))
          .filter((s) => !present.has(s.provenance!.clusterId))
          .map((s) => s.name)
        if (stale.length > 0) {
          const removed = yield* store.remove({ contexts: stale }, { kubeconfig })
          pruned = removed.removed
        }
      }

      const counts: Record<string, number> = {}
      for (const r of results ?? []) counts[r.action] = (counts[r.action] ?? 0) + 1
      for (const { cluster, error } of failed) {
        process.stderr.write(
          `${renderFailure(error).line.replace(/^kubecred: /, `kubecred: ${cluster.clusterId}: `)}\n`
        )
      }
      for (const c of notRunning) process.stderr.write(`kubecred: skipped ${c.clusterId} (${c.name}): ${c.status}\n`)
      for (const name of pruned) yield* Console.log(`pruned context "${name}"`)
      const parts = Object.entries(counts).map(([action, n]) => `${n} ${action}`)
      yield* Console.log(
        `sync ${provider}: ${listed.length} listed, ${matching.length} matching${parts.length ? `, ${parts.join(", ")}` : ""}, ${failed.length} failed, ${notRunning.length} skipped, ${pruned.length} pruned${results?.[0] ? ` (${results[0].path})` : ""}`
      )
      if (failed.length > 0) return yield* Effect.fail(new Reported(exitCodeFor(failed[0]!.error._tag)))
    })
).pipe(
  Command.withDescription(
    "Add every matching cluster of the given regions to the kubeconfig in one locked write, with progress and a summary; --prune removes contexts of clusters that are gone."
  ),
  Command.provide((config) => Providers.layer(config))
)
