/**
 * The ACK client: Alibaba Cloud Container Service for Kubernetes (`CS`, 2015-12-15) as a KubeconfigSource,
 * over an AckTransport (`http`, the default: @effect/platform HttpClient over node:http and our ACS3 or legacy v2
 * signer; `sdk`: @alicloud/cs20151215, loaded only when chosen), turned into the service by the core engine
 * (@kubecred/core/ProviderEngine), which paces, retries, bounds and checks every call the same way on every cloud.
 * Credentials come from the Alibaba chain (AckCredentials.ts), resolved on first call.
 */
import { warnPlainHttp } from "@kubecred/core/ApiEndpoint"
import { KubeconfigSource, type Service } from "@kubecred/core/KubeconfigSource"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import type { StsOptions } from "@kubecred/core/CredentialChain"
import type { AckCredentials } from "./AckCredentials.js"
import * as Env from "./AckEnvironment.js"
import { AckTransport, type TransportOptions, scoped as scopedTransport } from "./AckTransport.js"
import * as Source from "./internal/source.js"

export type { AckCredentials } from "./AckCredentials.js"

export interface AckClientOptions extends TransportOptions, StsOptions {
  /** Explicit credentials; otherwise the chain, resolved lazily on first call. */
  readonly credentials?: AckCredentials | undefined
  /** aliyun CLI profile (else ALIBABA_CLOUD_PROFILE, else the file's `current`); also the INI section. */
  readonly profile?: string | undefined
  /** Environment for the credential chain and the proxy (default process.env), for tests. */
  readonly env?: Record<string, string | undefined>
  /** Home directory for the credential chain (default os.homedir()), for tests. */
  readonly home?: string
}

export class AckClient extends Context.Tag("@kubecred/alibaba/AckClient")<AckClient, Service>() {}

/** The service over the AckTransport in context. */
export const make = (options: AckClientOptions = {}): Effect.Effect<Service, never, AckTransport> =>
  Effect.gen(function* () {
    yield* warnPlainHttp("alibaba", options.endpoint)
    const chain = {
      credentials: options.credentials,
      profile: options.profile,
      env: options.env,
      home: options.home,
      roleArn: options.roleArn,
      roleSessionName: options.roleSessionName,
      stsEndpoint: options.stsEndpoint,
      stsCa: options.stsCa
    }
    return yield* Source.make(yield* AckTransport, chain)
  })

/** The service with the transport `options.transport` names, both living as long as the scope. */
export const scoped = (options: AckClientOptions = {}): Effect.Effect<Service, never, Scope.Scope> =>
  Effect.provideServiceEffect(make(options), AckTransport, scopedTransport(options))

export const layer = (options: AckClientOptions = {}): Layer.Layer<AckClient> =>
  Layer.scoped(AckClient, scoped(options))

/** The same client under the provider-neutral port tag, for code that only knows KubeconfigSource. */
export const layerSource = (options: AckClientOptions = {}): Layer.Layer<KubeconfigSource> =>
  Layer.scoped(KubeconfigSource, scoped(options))

/** What layerConfig reads; every field a Config. */
export interface AckClientConfig {
  readonly endpoint?: string | undefined
  readonly transport?: "http" | "sdk" | undefined
  readonly signatureVersion?: "v3" | "v2" | undefined
  readonly profile?: string | undefined
}

const optional = <A>(config: Config.Config<A>) => config.pipe(Config.option, Config.map(Option.getOrUndefined))

/** Reads KUBECRED_ACK_ENDPOINT, KUBECRED_ACK_TRANSPORT, KUBECRED_ACK_SIGNATURE_VERSION and ALIBABA_CLOUD_PROFILE. */
export const defaultConfig: Config.Config<AckClientConfig> = Config.all({
  endpoint: optional(Config.string(Env.ENV_ENDPOINT)),
  transport: optional(Config.literal("http", "sdk")(Env.ENV_TRANSPORT)),
  signatureVersion: optional(Config.literal("v3", "v2")(Env.ENV_SIGNATURE_VERSION)),
  profile: optional(Config.string(Env.ENV_PROFILE))
})

/**
 * The client configured from the ConfigProvider (by default the environment). Explicit credentials, when
 * wanted, come in as `Config.redacted` values through `credentials`; otherwise the chain is used.
 */
export const layerConfig = (
  config: Config.Config<AckClientConfig> = defaultConfig,
  credentials?: Config.Config<AckCredentials | undefined>
): Layer.Layer<AckClient, ConfigError.ConfigError> =>
  Layer.scoped(
    AckClient,
    Effect.gen(function* () {
      const options = yield* config
      const explicit = credentials === undefined ? undefined : yield* credentials
      return yield* scoped({ ...options, credentials: explicit })
    })
  )
