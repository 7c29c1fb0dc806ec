/**
 * `kubecred status`: every context with provider, cluster, endpoint kind, credential kind and time left on
 * its certificate; the expiring ones stand out (red under a day, yellow under a week; colour only on a TTY
 * without NO_COLOR, a `!` marker either way), and so do keys embedded for more than a year.
 */
import * as Command from "@effect/cli/Command"
import { KubeconfigStore } from "@kubecred/kubeconfig/KubeconfigStore"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { expiryOf, isLongLived } from "../internal/expiry.js"
import { fitTable } from "../internal/fitTable.js"
import { globalOptions } from "../internal/globalFlags.js"
import { colorEnabled, formatRemaining, paint, printable, table, urgency } from "../internal/output.js"
import { noHeadersOption, outputOption, printData } from "../internal/outputFormat.js"

export { expiryOf, isLongLived } from "../internal/expiry.js"

/** The default table fits this many columns; `-o wide` shows everything, however wide. */
export const STATUS_WIDTH = 120

export const command = Command.make(
  "status",
  {
    output: outputOption(["table", "wide", "json", "yaml", "name"], "table"),
    noHeaders: noHeadersOption,
    ...globalOptions
  },
  (config) =>
    Effect.gen(function* () {
      const store = yield* KubeconfigStore
      const statuses = yield* store.inspect({ kubeconfig: Option.getOrUndefined(config.kubeconfig) })
      const now = Date.now()
      if (config.output === "json" || config.output === "yaml" || config.output === "name") {
        return yield* printData(
          config.output,
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
              clusterName: s.provenance?.name ?? null,
              endpoint: s.provenance?.endpoint ?? null,
              credential: s.credential,
              expiresAt: expiresAt === undefined ? null : new Date(expiresAt).toISOString(),
              secondsLeft: expiresAt === undefined ? null : Math.floor((expiresAt - now) / 1000),
              longLived: isLongLived(s, now)
            }
          }),
          () => statuses.map((s) => s.name)
        )
      }
      if (statuses.length === 0) return yield* Console.log("no contexts")
      const color = colorEnabled()
      const wide = config.output === "wide"
      // With a KUBECONFIG chain whose contexts come from several files, a FILE column says where each one is.
      const files = new Set(statuses.map((s) => s.file))
      const rows = statuses.map((s) => {
        const expiresAt = expiryOf(s)
        const left = expiresAt === undefined ? undefined : expiresAt - now
        const tone = s.credential === "exec" ? undefined : urgency(left)
        const detail =
          s.credential === "exec" ? " (exec, renewed on use)" : isLongLived(s, now) ? " (long-lived key in file)" : ""
        const leftText = left === undefined ? "-" : `${formatRemaining(left)}${detail}`
        return [
          s.current ? "*" : "",
          printable(s.name),
          printable(s.provenance?.name ?? s.provenance?.clusterId ?? s.cluster ?? "-"),
          printable(s.provenance?.clusterId ?? "-"),
          s.provenance?.provider ?? "-",
          printable(s.provenance?.region ?? "-"),
          s.provenance?.endpoint ?? "-",
          s.credential === "certificate" ? "cert" : String(s.credential ?? "-"),
          tone === undefined ? leftText : paint(color, tone, `${leftText} !`),
          printable(s.file)
        ]
      })
      const headers = [
        "CURRENT",
        "NAME",
        "CLUSTER",
        "CLUSTER ID",
        "PROVIDER",
        "REGION",
        "ENDPOINT",
        "CREDENTIAL",
        "EXPIRES IN",
        "FILE"
      ]
      if (wide) return yield* Console.log(table(headers, rows, { headers: !config.noHeaders }))
      // default: what fits; the id, provider and endpoint kind are in the default name and in -o wide
      const shown = [0, 1, 2, 5, 7, 8, ...(files.size > 1 ? [9] : [])]
      const columns = shown.map((i) => ({
        header: headers[i]!,
        ...(i === 5 ? { dropOrder: 1 } : i === 7 ? { dropOrder: 2 } : {}),
        ...(i === 2 ? { shrinkTo: 12 } : {})
      }))
      const fitted = fitTable(
        columns,
        rows.map((row) => shown.map((i) => row[i]!)),
        STATUS_WIDTH
      )
      yield* Console.log(config.noHeaders ? fitted.split("\n").slice(1).join("\n") : fitted)
    })
).pipe(
  Command.withDescription(
    "Show every context with its cluster's name, region, credential kind and time left on its certificate; expiring ones stand out (-o wide for ids, provider, endpoint kind and file)."
  )
)
