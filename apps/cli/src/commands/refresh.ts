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
import * as Console from "effect/Console"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Reported, renderFailure } from "../internal/errors.js"
import { exitCodeFor } from "../internal/exitCode.js"
import { globalOptions } from "../internal/globalFlags.js"
import { formatRemaining } from "../internal/output.js"
import * as Providers from "../internal/Providers.js"
import { expiryOf } from "./status.js"
import { fetchKubeconfig, invalid, kubeconfigOption } from "./shared.js"

const millis = (value: unknown): number | undefined =>
  DateTime.isDateTime(value) ? DateTime.toEpochMillis(value) : undefined

export const command = Command.make(
  "refresh",
  {
    expiringWithin: Options.text("expiring-within").pipe(
      Options.withDefault("1d"),
      Options.withDescription("Refresh what expires within this long (e.g. 2h, 1d, 7d; default 1d).")
    ),
    kubeconfig: kubeconfigOption,
    dryRun: Options.boolean("dry-run").pipe(Options.withDescription("List what would be refreshed; fetch nothing.")),
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
      const store = yield* KubeconfigStore
      const now = Date.now()
      const statuses = yield* store.inspect({ kubeconfig: Option.getOrUndefined(config.kubeconfig) })
      const due = statuses.filter((s) => {
        if (!s.managed || s.provenance === undefined || s.credential === "exec") return false
        const expiresAt = expiryOf(s)
        return expiresAt !== undefined && expiresAt - now <= within * 60_000
      })
      if (due.length === 0) return yield* Console.log(`nothing expires within ${config.expiringWithin}`)
      let firstFailure: number | undefined
      for (const s of due) {
        const p = s.provenance!
        const fetchedAt = millis(p.fetchedAt)
        const expiresAt = millis(p.expiresAt)
        const lifetime =
          fetchedAt !== undefined && expiresAt !== undefined ? Math.round((expiresAt - fetchedAt) / 60_000) : undefined
        const ttl =
          p.provider === "alibaba" && lifetime !== undefined && lifetime <= MAX_TEMPORARY_MINUTES
            ? Math.max(MIN_TEMPORARY_MINUTES, lifetime)
            : undefined
        if (config.dryRun) {
          yield* Console.log(`would refresh "${s.name}" (${formatRemaining((expiryOf(s) ?? now) - now)} left)`)
          continue
        }
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
            store.add(fetched, { kubeconfig: s.file, contextName: s.name, setCurrent: false })
          ),
          Effect.either
        )
        if (Either.isRight(outcome)) {
          yield* Console.log(`refreshed context "${s.name}" in ${outcome.right.path}`)
        } else {
          firstFailure ??= exitCodeFor(outcome.left._tag)
          process.stderr.write(`${renderFailure(outcome.left).line.replace(/^kubecred: /, `kubecred: ${s.name}: `)}\n`)
        }
      }
      if (firstFailure !== undefined) return yield* Effect.fail(new Reported(firstFailure))
    })
).pipe(
  Command.withDescription("Fetch again the contexts kubecred added whose credentials expire soon."),
  Command.provide((config) => Providers.layer(config))
)
