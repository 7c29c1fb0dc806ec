/**
 * `kubecred whoami [provider]`: which credential source, profile and key the provider's chain picks (the key id
 * masked, never a secret), checked with one cheap signed call the way `aws sts get-caller-identity` checks
 * its own (TKE DescribeRegions, ACK one page of DescribeClustersV1). A key the cloud refuses fails with its
 * usual exit code.
 */
import * as Command from "@effect/cli/Command"
import type { ProviderName } from "@kubecred/core/Provider"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { globalOptions } from "../internal/globalFlags.js"
import { profileEnv } from "../internal/identity.js"
import { table } from "../internal/output.js"
import * as Providers from "../internal/Providers.js"
import { outputOption, printData } from "../internal/outputFormat.js"
import { optionalProviderArg, wantedProviders } from "./shared.js"

/** `AKID…abcd`: enough to tell keys apart, too little to use. */
export const maskKeyId = (keyId: string): string =>
  keyId.length >= 12
    ? `${keyId.slice(0, 4)}${"*".repeat(keyId.length - 8)}${keyId.slice(-4)}`
    : "*".repeat(keyId.length)

/** The profile a file source was read under; none for the environment, explicit keys and instance roles. */
const profileOf = (source: string, flag: Option.Option<string>, provider: ProviderName, env: NodeJS.ProcessEnv) => {
  if (!source.includes("/")) return undefined
  const tccli = /\.tccli\/([^/]+)\.credential/.exec(source)
  if (tccli) return tccli[1]
  // ~/.tencentcloud/credentials is read for its [default] section only
  if (/tencentcloud\/credentials/.test(source)) return "default"
  if (Option.isSome(flag)) return flag.value
  for (const name of profileEnv[provider]) if (env[name]) return env[name]
  return "default"
}

export const identityOf = (provider: ProviderName) =>
  Effect.gen(function* () {
    const providers = yield* Providers.Providers
    const picked = yield* providers.credentials(provider)
    const source = yield* providers.source(provider)
    // one signed call: the cloud accepts this key (AuthenticationFailed / AccessDenied otherwise)
    const verifiedBy =
      provider === "tencent"
        ? yield* Effect.as(source.regions, "DescribeRegions")
        : yield* Effect.as(Stream.runHead(source.listClusters({ regions: [], allRegions: true })), "DescribeClustersV1")
    const profile = profileOf(picked.source, providers.flags.profile, provider, process.env)
    return {
      provider,
      source: picked.source,
      profile: profile ?? null,
      keyId: maskKeyId(picked.keyId),
      temporary: picked.temporary,
      expiresAt: picked.expiresAt?.toISOString() ?? null,
      apiEndpoint: providers.endpointOverride(provider) ?? "default",
      verifiedBy
    }
  })

export const command = Command.make(
  "whoami",
  {
    provider: optionalProviderArg,
    output: outputOption(["table", "json", "yaml", "name"], "table"),
    ...globalOptions
  },
  (config) =>
    Effect.gen(function* () {
      const wanted = wantedProviders(config.provider)
      const rows = yield* Effect.forEach(wanted, identityOf)
      if (config.output !== "table") {
        return yield* printData(config.output, Option.isSome(config.provider) ? rows[0] : rows, () =>
          rows.map((r) => `${r.provider}/${r.keyId}`)
        )
      }
      yield* Console.log(
        table(
          ["PROVIDER", "KEY ID", "SOURCE", "PROFILE", "TEMPORARY", "VERIFIED BY"],
          rows.map((r) => [
            r.provider,
            r.keyId,
            r.source,
            r.profile ?? "-",
            r.temporary ? `yes${r.expiresAt ? ` (until ${r.expiresAt})` : ""}` : "no",
            r.verifiedBy
          ])
        )
      )
    })
).pipe(
  Command.withDescription(
    "Show which credentials each provider's chain picks (source, profile, masked key id) and check them with one signed call."
  ),
  Command.provideEffect(Providers.Providers, (config) => Providers.make(config))
)
