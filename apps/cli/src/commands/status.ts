/**
 * `kubecred status`: every context with provider, cluster, endpoint kind, credential kind and time left on
 * its certificate; the expiring ones stand out (red under a day, yellow under a week; colour only on a TTY
 * without NO_COLOR, a `!` marker either way), and so do keys embedded for more than a year.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { type ContextStatus, KubeconfigStore } from "@kubecred/kubeconfig/KubeconfigStore"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { colorEnabled, formatRemaining, paint, printable, safeJson, table, urgency } from "../internal/output.js"
import { kubeconfigOption } from "./shared.js"

/** When a context's credential stops working: the certificate's notAfter, else the recorded expiry. */
export const expiryOf = (s: ContextStatus): number | undefined => (s.certificateNotAfter ?? s.expiresAt)?.getTime()

const YEAR_MS = 365 * 24 * 3600 * 1000

/**
 * A client key embedded in the file that stays valid for more than a year (TKE's 20-year certificates, ACK's
 * 3-year default): worth replacing with `--exec` or an ACK `--ttl`.
 */
export const isLongLived = (s: ContextStatus, now: number): boolean => {
  const expiresAt = expiryOf(s)
  return s.credential === "certificate" && expiresAt !== undefined && expiresAt - now > YEAR_MS
}

export const command = Command.make(
  "status",
  {
    kubeconfig: kubeconfigOption,
    output: Options.choice("output", ["table", "json"]).pipe(
      Options.withAlias("o"),
      Options.withDefault("table" as const),
      Options.withDescription("table (default) or json.")
    ),
    verbose: Options.boolean("verbose").pipe(Options.withAlias("v"), Options.withDescription("Explain errors further."))
  },
  (config) =>
    Effect.gen(function* () {
      const store = yield* KubeconfigStore
      const statuses = yield* store.inspect({ kubeconfig: Option.getOrUndefined(config.kubeconfig) })
      const now = Date.now()
      if (config.output === "json") {
        return yield* Console.log(
          safeJson(
            statuses.map((s) => {
              const expiresAt = expiryOf(s)
              return {
                name: s.name,
                file: s.file,
                current: s.current,
                managed: s.managed,
                cluster: s.cluster,
                user: s.user,
                server: s.server,
                provider: s.provenance?.provider ?? null,
                region: s.provenance?.region ?? null,
                clusterId: s.provenance?.clusterId ?? null,
                endpoint: s.provenance?.endpoint ?? null,
                credential: s.credential,
                expiresAt: expiresAt === undefined ? null : new Date(expiresAt).toISOString(),
                secondsLeft: expiresAt === undefined ? null : Math.floor((expiresAt - now) / 1000),
                longLived: isLongLived(s, now)
              }
            })
          )
        )
      }
      if (statuses.length === 0) return yield* Console.log("no contexts")
      const color = colorEnabled()
      // With a KUBECONFIG chain whose contexts come from several files, a FILE column says where each one is.
      const files = new Set(statuses.map((s) => s.file))
      const rows = statuses.map((s) => {
        const expiresAt = expiryOf(s)
        const left = expiresAt === undefined ? undefined : expiresAt - now
        const tone = s.credential === "exec" ? undefined : urgency(left)
        const leftText =
          s.credential === "exec" && left !== undefined
            ? `${formatRemaining(left)} (exec, renewed on use)`
            : left === undefined
              ? "-"
              : isLongLived(s, now)
                ? `${formatRemaining(left)} (long-lived key in file)`
                : formatRemaining(left)
        return [
          s.current ? "*" : "",
          printable(s.name),
          s.provenance?.provider ?? "-",
          printable(s.provenance?.region ?? "-"),
          printable(s.provenance?.clusterId ?? s.cluster ?? "-"),
          s.provenance?.endpoint ?? "-",
          String(s.credential ?? "-"),
          tone === undefined ? leftText : paint(color, tone, `${leftText} !`),
          ...(files.size > 1 ? [printable(s.file)] : [])
        ]
      })
      const headers = ["CURRENT", "NAME", "PROVIDER", "REGION", "CLUSTER", "ENDPOINT", "CREDENTIAL", "EXPIRES IN"]
      yield* Console.log(table(files.size > 1 ? [...headers, "FILE"] : headers, rows))
    })
).pipe(
  Command.withDescription(
    "Show every context with provider, cluster, endpoint kind and time left on its certificate; expiring ones stand out."
  )
)
