/**
 * `kubecred refresh [--expiring-within D]`: fetch again every context kubecred added whose embedded
 * credential expires within D (default 1d), keeping its name, file and endpoint kind. Contexts using
 * `--exec` renew themselves on use and are left alone.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { DurationMinutesFromString, MAX_TEMPORARY_MINUTES, MIN_TEMPORARY_MINUTES } from "@kubecred/core/Duration"
import { decodeFetchRequest } from "@kubecred/core/FetchRequest"
import { KubeconfigStore } from "@kubecred/kubeconfig/KubeconfigStore"
import { entryName } from "@kubecred/kubeconfig/Naming"
import * as Console from "effect/Console"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Reported, renderFailure } from "../internal/errors.js"
import { exitCodeFor } from "../internal/exitCode.js"
import { expiryOf } from "../internal/expiry.js"
import { globalOptions } from "../internal/globalFlags.js"
import { formatRemaining } from "../internal/output.js"
import { dueForRefresh, managedContexts } from "../internal/plan.js"
import * as Providers from "../internal/Providers.js"
import { dryRunOption, outputOption } from "./sync.js"
import { contextTemplateOption, fetchKubeconfig, invalid, named, validateTemplate } from "./shared.js"

const millis = (value: unknown): number | undefined =>
  DateTime.isDateTime(value) ? DateTime.toEpochMillis(value) : undefined

export const command = Command.make(
  "refresh",
  {
    expiringWithin: Options.text("expiring-within").pipe(
      Options.withDefault("1d"),
      Options.withDescription("Refresh what expires within this long (e.g. 2h, 1d, 7d; default 1d).")
    ),
    contextTemplate: contextTemplateOption,
    dryRun: dryRunOption,
    output: outputOption,
    ...globalOptions
  },
  (config) =>
    Effect.gen(function* () {
      const within = yield* Either.match(Schema.decodeUnknownEither(DurationMinutesFromString)(config.expiringWithin), {
        onLeft: () =>
          Effect.fail(
            invalid(
              "expiring-within",
              `invalid duration ${JSON.stringify(config.expiringWithin)}: use e.g. 90m, 2h, 1d`
            )
          ),
        onRight: (minutes) => Effect.succeed(minutes)
      })
      const template = yield* validateTemplate(config.contextTemplate)
      const store = yield* KubeconfigStore
      const now = Date.now()
      const due = dueForRefresh(yield* managedContexts(Option.getOrUndefined(config.kubeconfig)), within, now)
      const json = config.output === "json"
      if (due.length === 0) {
        return yield* Console.log(
          json ? JSON.stringify({ contexts: [] }, null, 2) : `nothing expires within ${config.expiringWithin}`
        )
      }
      let firstFailure: number | undefined
      const done: Array<Record<string, unknown>> = []
      for (const m of due) {
        const s = m.status
        const p = m.provenance
        const fetchedAt = millis(p.fetchedAt)
        const expiresAt = millis(p.expiresAt)
        const lifetime =
          fetchedAt !== undefined && expiresAt !== undefined ? Math.round((expiresAt - fetchedAt) / 60_000) : undefined
        const ttl =
          p.provider === "alibaba" && lifetime !== undefined && lifetime <= MAX_TEMPORARY_MINUTES
            ? Math.max(MIN_TEMPORARY_MINUTES, lifetime)
            : undefined
        const left = formatRemaining((expiryOf(s) ?? now) - now)
        // the context keeps its file, namespace and the cluster name kubecred recorded, and its name unless an
        // explicit template renames it (the old entry goes once the new one is written)
        const name = template === undefined ? s.name : entryName(p, template)
        const outcome = yield* decodeFetchRequest({
          _tag: p.provider,
          region: p.region,
          clusterId: p.clusterId,
          endpoint: p.endpoint,
          ...(ttl !== undefined ? { temporaryDurationMinutes: ttl } : {})
        }).pipe(
          Effect.mapError((e) => invalid("provenance", e.message)),
          Effect.flatMap(fetchKubeconfig),
          Effect.flatMap((fetched) =>
            store.add(named(fetched, p.name), {
              kubeconfig: s.file,
              contextName: name,
              setCurrent: name !== s.name && s.current,
              dryRun: config.dryRun,
              ...(m.namespace === undefined ? {} : { namespace: m.namespace })
            })
          ),
          Effect.tap(() =>
            name === s.name || config.dryRun
              ? Effect.void
              : store.remove({ contexts: [s.name] }, { kubeconfig: s.file })
          ),
          Effect.either
        )
        if (Either.isRight(outcome)) {
          const r = outcome.right
          done.push({
            context: name,
            ...(name === s.name ? {} : { renamedFrom: s.name }),
            path: r.path,
            action: r.action,
            written: r.written,
            expiredIn: left,
            ...(config.dryRun ? { diff: r.diff } : {})
          })
          if (json) continue
          if (config.dryRun) {
            yield* Console.log(r.diff === "" ? `no change to "${s.name}"` : r.diff.trimEnd())
            yield* Console.log(`(dry run: would refresh "${s.name}" in ${r.path}, ${left} left; not written)`)
          } else {
            yield* Console.log(
              `refreshed context "${name}" in ${r.path}${name === s.name ? "" : ` (renamed from "${s.name}")`}`
            )
          }
        } else {
          firstFailure ??= exitCodeFor(outcome.left._tag)
          done.push({ context: s.name, error: outcome.left._tag, message: outcome.left.message })
          process.stderr.write(`${renderFailure(outcome.left).line.replace(/^kubecred: /, `kubecred: ${s.name}: `)}\n`)
        }
      }
      if (json) yield* Console.log(JSON.stringify({ dryRun: config.dryRun, contexts: done }, null, 2))
      if (firstFailure !== undefined) return yield* Effect.fail(new Reported(firstFailure))
    })
).pipe(
  Command.withDescription("Fetch again the contexts kubecred added whose credentials expire soon."),
  Command.provideEffect(Providers.Providers, (config) => Providers.make(config))
)
