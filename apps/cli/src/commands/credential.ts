/**
 * `kubecred credential <provider> <cluster-id>`: the kubectl exec credential plugin. Prints an ExecCredential
 * (client certificate and key, expirationTimestamp) in the apiVersion kubectl asks for through
 * KUBERNETES_EXEC_INFO. Cached on disk per cluster and identity; the bin entry serves a warm cache without
 * loading this program at all (internal/credentialFast.ts); this is the miss path.
 */
import * as Command from "@effect/cli/Command"
import * as Effect from "effect/Effect"
import * as Cache from "../internal/credentialCache.js"
import { cacheKeyOf, clientCredential, storeCredential } from "../internal/exec.js"
import { execCredentialJson, readExecInfo } from "../internal/execInfo.js"
import { globalOptions } from "../internal/globalFlags.js"
import { roleOptions } from "../internal/roleFlags.js"
import * as Providers from "../internal/Providers.js"
import { EXEC_DEFAULT_TTL_MINUTES } from "./add.js"
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
  "credential",
  {
    provider: providerArg,
    clusterId: clusterIdArg,
    region: regionOption,
    private: privateOption,
    ttl: ttlOption,
    ...globalOptions,
    ...roleOptions
  },
  (config) =>
    Effect.gen(function* () {
      const info = readExecInfo(process.env.KUBERNETES_EXEC_INFO)
      if (info._tag === "invalid") return yield* Effect.fail(invalid("KUBERNETES_EXEC_INFO", info.detail))
      const request = yield* buildRequest(config.provider, config.clusterId, config, EXEC_DEFAULT_TTL_MINUTES)
      const { key } = yield* cacheKeyOf(request)
      const file = Cache.cachePath(key, Cache.cacheDirectory())
      const now = Date.now()
      const cached = file === undefined || config.mock ? undefined : Cache.readFresh(file, key, now)
      if (cached !== undefined) {
        process.stdout.write(execCredentialJson(info.apiVersion, cached, Cache.advertisedExpiry(cached, now)))
        return
      }
      const fetched = yield* fetchKubeconfig(request)
      const credential = yield* clientCredential(request, fetched)
      yield* storeCredential(request, credential, now)
      const advertised = Cache.advertisedExpiry({ fetchedAt: now, expiresAt: credential.expiresAt }, now)
      process.stdout.write(execCredentialJson(info.apiVersion, credential, advertised))
    })
).pipe(Command.provideEffect(Providers.Providers, (config) => Providers.make(config)))
