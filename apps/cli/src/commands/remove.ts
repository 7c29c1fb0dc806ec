/**
 * `kubecred remove <context...> | --provider P [--cluster-id ID] [--region R]`: the context, its user and
 * its cluster go together (when nothing else uses them), under the same lock and atomic write as add.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { KubeconfigStore, type RemoveResult } from "@kubecred/kubeconfig/KubeconfigStore"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Cache from "../internal/credentialCache.js"
import { globalOptions } from "../internal/globalFlags.js"
import { optionalOutputOption, printData } from "../internal/outputFormat.js"
import { invalid, providerChoices, regionOption, validateClusterId } from "./shared.js"

export const command = Command.make(
  "remove",
  {
    contexts: Args.text({ name: "context" }).pipe(Args.repeated),
    provider: Options.choice(
      "provider",
      providerChoices.map(([name]) => name)
    ).pipe(Options.optional),
    clusterId: Options.text("cluster-id").pipe(Options.optional),
    region: regionOption,
    dryRun: Options.boolean("dry-run"),
    output: optionalOutputOption(["json", "yaml", "name"]),
    ...globalOptions
  },
  (config) =>
    Effect.gen(function* () {
      const store = yield* KubeconfigStore
      const kubeconfig = Option.getOrUndefined(config.kubeconfig)
      const hasSelector = Option.isSome(config.provider)
      if (config.contexts.length > 0 && hasSelector) {
        return yield* Effect.fail(invalid("remove", "give context names or --provider, not both"))
      }
      if (config.contexts.length === 0 && !hasSelector) {
        return yield* Effect.fail(
          invalid("remove", "give one or more context names, or --provider P [--cluster-id ID]")
        )
      }
      if (!hasSelector && (Option.isSome(config.clusterId) || Option.isSome(config.region))) {
        return yield* Effect.fail(invalid("remove", "--cluster-id and --region narrow --provider; give --provider too"))
      }
      let result: RemoveResult
      if (hasSelector) {
        const provider = providerChoices.find(([name]) => name === Option.getOrThrow(config.provider))![1]
        const clusterId = Option.isSome(config.clusterId)
          ? yield* validateClusterId(provider, config.clusterId.value)
          : undefined
        const region = Option.getOrUndefined(config.region)
        result = yield* store.remove(
          { provider, ...(clusterId ? { clusterId } : {}), ...(region ? { region } : {}) },
          { kubeconfig, dryRun: config.dryRun }
        )
        if (!config.dryRun && clusterId !== undefined) Cache.evict(Cache.cacheDirectory(), provider, clusterId)
      } else {
        const flag = config.contexts.find((name) => name.startsWith("-"))
        if (flag !== undefined) return yield* Effect.fail(invalid("remove", `unknown flag ${JSON.stringify(flag)}`))
        // Like kubectl delete-context: a name that is not there is an error, and then nothing is written.
        const planned = yield* store.remove({ contexts: config.contexts }, { kubeconfig, dryRun: true })
        const missing = config.contexts.filter((name) => !planned.removed.includes(name))
        if (missing.length > 0) {
          return yield* Effect.fail(
            invalid(
              "context",
              `no context ${missing.map((m) => JSON.stringify(m)).join(", ")} in ${planned.searched.join(", ")}`
            )
          )
        }
        result = config.dryRun
          ? planned
          : yield* store.remove({ contexts: config.contexts }, { kubeconfig, dryRun: false })
      }
      if (Option.isSome(config.output)) {
        return yield* printData(
          config.output.value,
          { removed: result.locations, dryRun: config.dryRun, searched: result.searched },
          () => result.removed
        )
      }
      if (result.removed.length === 0) return yield* Console.log(`nothing to remove in ${result.searched.join(", ")}`)
      const verb = config.dryRun ? "would remove" : "removed"
      for (const { context, path } of result.locations) yield* Console.log(`${verb} context "${context}" from ${path}`)
    })
)
