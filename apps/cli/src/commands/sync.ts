/**
 * `kubecred sync <provider>`: add every matching cluster of some regions (or all), paced under the provider's
 * rate limit, one locked write; contexts that exist keep their name, namespace and credential kind (internal/plan);
 * `--prune` removes contexts kubecred added for clusters that no longer exist; `--dry-run` prints the diff.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type { ClusterSummary } from "@kubecred/core/ClusterSummary"
import type { FetchedKubeconfig } from "@kubecred/core/FetchedKubeconfig"
import { decodeFetchRequest, type FetchRequest } from "@kubecred/core/FetchRequest"
import type { ProviderError } from "@kubecred/core/KubecredError"
import { ThrottlePolicy } from "@kubecred/core/Policy"
import { type AddResult, KubeconfigStore } from "@kubecred/kubeconfig/KubeconfigStore"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { Reported, renderFailure } from "../internal/errors.js"
import { execSpec, primeCache } from "../internal/exec.js"
import { ExitCode, exitCodeFor } from "../internal/exitCode.js"
import { globalOptions } from "../internal/globalFlags.js"
import { answeredFor } from "../internal/listing.js"
import { roleOptions } from "../internal/roleFlags.js"
import { globToRegExp } from "../internal/output.js"
import { managedContexts, planSync, prunable, type SyncPlan } from "../internal/plan.js"
import { makeProgress } from "../internal/progress.js"
import * as Providers from "../internal/Providers.js"
import { EXEC_DEFAULT_TTL_MINUTES, execOption } from "./add.js"
import { listProvider, reportListing } from "./list.js"
import {
  allRegionsOption,
  contextTemplateOption,
  invalid,
  named,
  preflightKubeconfig,
  privateOption,
  providerArg,
  regionsOption,
  ttlOption,
  validateTemplate,
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

export const outputOption = Options.choice("output", ["text", "json"]).pipe(
  Options.withAlias("o"),
  Options.withDefault("text" as const),
  Options.withDescription("text (default) or json: what changed, where (with --dry-run, the diff too).")
)

export const dryRunOption = Options.boolean("dry-run").pipe(
  Options.withDescription("Fetch and print the diff (as add does); write nothing.")
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
    contextTemplate: contextTemplateOption,
    prune: Options.boolean("prune").pipe(
      Options.withDescription("Remove contexts kubecred added for clusters of these regions that no longer exist.")
    ),
    dryRun: dryRunOption,
    output: outputOption,
    ...globalOptions,
    ...roleOptions
  },
  (config) =>
    Effect.gen(function* () {
      const provider = config.provider
      const filters = yield* parseFilters(config.filter)
      const template = yield* validateTemplate(config.contextTemplate)
      const ttlMinutes =
        (yield* validateTtl(provider, config.ttl)) ??
        (provider === "alibaba" && config.exec ? EXEC_DEFAULT_TTL_MINUTES : undefined)
      const kubeconfig = Option.getOrUndefined(config.kubeconfig)
      yield* preflightKubeconfig(kubeconfig)
      const listing = yield* listProvider(provider, { regions: config.region, all: config.allRegions })
      const partial = yield* reportListing(listing)
      const listed = listing.clusters
      const matching = listed.filter((c) => matches(c, filters))
      const running = matching.filter((c) => c.phase === "running")
      const notRunning = matching.filter((c) => c.phase !== "running")
      const endpoint = config.private ? "private" : "public"
      const managed = yield* managedContexts(kubeconfig)
      const plan = yield* planSync(provider, running, endpoint, managed, template)

      const progress = yield* Effect.promise(() =>
        makeProgress(running.length, `sync ${provider}`, config.output === "json")
      )
      const throttle = yield* ThrottlePolicy
      const fetched = yield* Effect.forEach(
        plan.fetches,
        ({ cluster, targets }) =>
          decodeFetchRequest({
            _tag: provider,
            region: cluster.region,
            clusterId: cluster.clusterId,
            endpoint,
            ...(provider === "alibaba" && ttlMinutes !== undefined ? { temporaryDurationMinutes: ttlMinutes } : {})
          }).pipe(
            Effect.mapError((e) => invalid("cluster", e.message)),
            Effect.flatMap((request) =>
              Effect.flatMap(Providers.Providers, (p) => p.source(provider)).pipe(
                Effect.flatMap((source) => source.fetch(request)),
                Effect.map((kubeconfig) => ({ request, kubeconfig: named(kubeconfig, cluster.name), targets }))
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

      const ok: Array<{
        request: FetchRequest
        kubeconfig: FetchedKubeconfig
        targets: SyncPlan["fetches"][number]["targets"]
      }> = []
      const failed: Array<{ cluster: ClusterSummary; error: ProviderError }> = []
      for (const { cluster, result } of fetched) {
        if (Either.isRight(result)) ok.push(result.right)
        else failed.push({ cluster, error: result.left })
      }

      const store = yield* KubeconfigStore
      const fresh = config.exec ? ok : []
      const items = yield* Effect.forEach(ok, ({ request, kubeconfig: k, targets }) =>
        Effect.map(config.exec ? execSpec(request, config.ttl) : Effect.succeed(undefined), (newExec) =>
          targets.map((target) => {
            // --exec asks for a new plugin user; otherwise an exec context keeps its own stanza
            const exec = newExec ?? target.exec
            return {
              fetched: k,
              options: {
                // a renamed context stays current if it was
                setCurrent: target.current && target.renamedFrom !== undefined,
                dryRun: config.dryRun,
                contextName: target.name,
                ...(target.namespace === undefined ? {} : { namespace: target.namespace }),
                ...(exec === undefined ? {} : { exec })
              }
            }
          })
        )
      ).pipe(Effect.map((lists) => lists.flat()))
      const results: ReadonlyArray<AddResult> =
        items.length > 0 ? yield* store.addMany(items, kubeconfig === undefined ? {} : { kubeconfig }) : []
      if (!config.dryRun) {
        yield* Effect.forEach(fresh, ({ request, kubeconfig: k }) => primeCache(request, k), { discard: true })
      }
      // contexts the template renamed: the old entries go once the new ones are written
      const renamed = ok.flatMap(({ targets }) =>
        targets.flatMap((t) => (t.renamedFrom === undefined ? [] : [{ from: t.renamedFrom, to: t.name }]))
      )
      if (renamed.length > 0 && !config.dryRun) {
        yield* store.remove({ contexts: renamed.map((r) => r.from) }, kubeconfig === undefined ? {} : { kubeconfig })
      }

      let pruned: ReadonlyArray<string> = []
      if (config.prune) {
        const stale = prunable(provider, managed, listed, (region) => answeredFor(listing, region))
        if (stale.length > 0) {
          pruned = config.dryRun
            ? stale
            : (yield* store.remove({ contexts: stale }, kubeconfig === undefined ? {} : { kubeconfig })).removed
        }
      }

      for (const { cluster, error } of failed) {
        process.stderr.write(
          `${renderFailure(error).line.replace(/^kubecred: /, `kubecred: ${cluster.clusterId}: `)}\n`
        )
      }
      for (const c of notRunning) process.stderr.write(`kubecred: skipped ${c.clusterId} (${c.name}): ${c.status}\n`)
      const path = results[0]?.path
      if (config.output === "json") {
        yield* Console.log(
          JSON.stringify(
            {
              provider,
              path: path ?? null,
              dryRun: config.dryRun,
              listed: listed.length,
              matching: matching.length,
              contexts: results.map((r) => ({
                context: r.contextName,
                action: r.action,
                written: r.written,
                ...(config.dryRun ? { diff: r.diff } : {})
              })),
              failed: failed.map(({ cluster, error }) => ({
                clusterId: cluster.clusterId,
                region: cluster.region,
                error: error._tag,
                message: error.message
              })),
              skipped: notRunning.map((c) => ({ clusterId: c.clusterId, name: c.name, status: c.status })),
              skippedRegions: listing.skipped.map((s) => s.region),
              failedRegions: listing.failed.map((f) => f.region),
              renamed,
              pruned
            },
            null,
            2
          )
        )
      } else {
        if (config.dryRun) {
          const diff = results.map((r) => r.diff.trimEnd()).filter((d) => d !== "")
          if (diff.length > 0) yield* Console.log(diff.join("\n"))
          for (const r of renamed) yield* Console.log(`would rename context "${r.from}" to "${r.to}"`)
          for (const name of pruned) yield* Console.log(`would prune context "${name}"`)
        } else {
          for (const r of renamed) yield* Console.log(`renamed context "${r.from}" to "${r.to}"`)
          for (const name of pruned) yield* Console.log(`pruned context "${name}"`)
        }
        const counts: Record<string, number> = {}
        for (const r of results) counts[r.action] = (counts[r.action] ?? 0) + 1
        const parts = Object.entries(counts).map(([action, n]) => `${n} ${action}`)
        yield* Console.log(
          `sync ${provider}: ${listed.length} listed, ${matching.length} matching${parts.length ? `, ${parts.join(", ")}` : ""}, ${failed.length} failed, ${notRunning.length} skipped, ${pruned.length} ${config.dryRun ? "to prune" : "pruned"}${path ? ` (${path}${config.dryRun ? ", dry run: not written" : ""})` : ""}`
        )
      }
      if (failed.length > 0) return yield* Effect.fail(new Reported(exitCodeFor(failed[0]!.error._tag)))
      if (partial) return yield* Effect.fail(new Reported(ExitCode.Partial))
    })
).pipe(
  Command.withDescription(
    "Add every matching cluster of the given regions to the kubeconfig in one locked write, with progress and a summary; contexts that exist keep their name and credential kind; --prune removes contexts of clusters that are gone."
  ),
  Command.provideEffect(Providers.Providers, (config) => Providers.make(config))
)
