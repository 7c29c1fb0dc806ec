/**
 * `kubecred get <provider> <cluster-id>`: print the kubeconfig the provider hands out; nothing is written.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { encodeDocument } from "@kubecred/core/KubeconfigDocument"
import { checkFetched } from "@kubecred/kubeconfig/KubeconfigStore"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { stringify } from "yaml"
import { globalOptions } from "../internal/globalFlags.js"
import * as Providers from "../internal/Providers.js"
import {
  buildRequest,
  clusterIdArg,
  fetchKubeconfig,
  invalid,
  privateOption,
  providerArg,
  regionOption,
  ttlOption
} from "./shared.js"

export const command = Command.make(
  "get",
  {
    provider: providerArg,
    clusterId: clusterIdArg,
    region: regionOption,
    private: privateOption,
    ttl: ttlOption,
    output: Options.choice("output", ["yaml", "json"]).pipe(
      Options.withAlias("o"),
      Options.withDefault("yaml" as const),
      Options.withDescription("yaml (default) or json.")
    ),
    ...globalOptions
  },
  (config) =>
    Effect.gen(function* () {
      const request = yield* buildRequest(config.provider, config.clusterId, config)
      const fetched = yield* fetchKubeconfig(request)
      // What is printed is what a user may save as a kubeconfig: the same allow-list as `add`.
      yield* checkFetched(fetched)
      const plain = yield* encodeDocument(fetched.document).pipe(
        Effect.mapError(() => invalid("kubeconfig", "the provider's kubeconfig could not be encoded"))
      )
      yield* Console.log(
        config.output === "json" ? JSON.stringify(plain, null, 2) : stringify(plain, { lineWidth: 0 }).trimEnd()
      )
    })
).pipe(
  Command.withDescription("Print a cluster's kubeconfig as the provider hands it out; nothing is written."),
  Command.provide((config) => Providers.layer(config))
)
