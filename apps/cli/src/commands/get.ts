/**
 * `kubecred get <provider> <cluster-id>`: print the kubeconfig the provider hands out; nothing is written.
 */
import * as Command from "@effect/cli/Command"
import { encodeDocument } from "@kubecred/core/KubeconfigDocument"
import { checkFetched } from "@kubecred/kubeconfig/KubeconfigStore"
import * as Effect from "effect/Effect"
import { globalOptions } from "../internal/globalFlags.js"
import { outputOption, printData } from "../internal/outputFormat.js"
import { roleOptions } from "../internal/roleFlags.js"
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
    output: outputOption(["yaml", "json", "name"], "yaml"),
    ...globalOptions,
    ...roleOptions
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
      yield* printData(config.output, plain, () => [`${request._tag}/${request.clusterId}`])
    })
).pipe(Command.provideEffect(Providers.Providers, (config) => Providers.make(config)))
