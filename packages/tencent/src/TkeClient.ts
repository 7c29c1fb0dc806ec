/**
 * Tencent Kubernetes Engine (TKE) as a KubeconfigSource: `DescribeClusterKubeconfig` and `DescribeClusters`
 * over a TkeTransport (`http`, the default: @effect/platform HttpClient and our TC3 signer; `sdk`: the official
 * tencentcloud-sdk-nodejs-tke, loaded only when chosen), turned into the service by the core engine
 * (@kubecred/core/ProviderEngine), which paces, retries, bounds and checks every call the same way on every cloud.
 */
import { KubeconfigSource } from "@kubecred/core/KubeconfigSource"
import type * as KubeconfigSourceService from "@kubecred/core/KubeconfigSource"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as internalClient from "./internal/client.js"
import { warnPlainHttp } from "@kubecred/core/ApiEndpoint"
import type { StsOptions } from "@kubecred/core/CredentialChain"
import * as TkeCredentialChain from "./TkeCredentials.js"
import * as Env from "./TkeEnvironment.js"
import { TkeTransport, scoped as scopedTransport } from "./TkeTransport.js"

export type { TkeCredentials } from "./TkeCredentials.js"

export interface TkeClientOptions extends StsOptions {
  /**
   * API endpoint URL override, e.g. `http://127.0.0.1:8080` (a mock, a private gateway) or
   * `https://tke.{region}.tencentcloudapi.com` (regional; `{region}` is filled in per call).
   * Default `https://tke.tencentcloudapi.com`. `layerConfig` reads KUBECRED_TKE_ENDPOINT.
   */
  readonly endpoint?: string | undefined
  /** Explicit credentials; else the chain (env, ~/.tencentcloud/credentials, tccli), resolved on first call. */
  readonly credentials?: TkeCredentialChain.TkeCredentials | undefined
  /** tccli profile name (else TCCLI_PROFILE, else `default`). */
  readonly profile?: string | undefined
  /** `http` (default) or `sdk` (the official SDK). */
  readonly transport?: "http" | "sdk" | undefined
  /** Environment for the credential chain, region and proxy (default process.env). */
  readonly env?: Record<string, string | undefined>
  /** Home directory for the credential chain (default os.homedir()). */
  readonly home?: string
  /** The system-wide credentials file the chain falls back to (default /etc/tencentcloud/credentials). */
  readonly systemCredentials?: string
}

export class TkeClient extends Context.Tag("@kubecred/tencent/TkeClient")<
  TkeClient,
  KubeconfigSourceService.Service
>() {}

const chainOptions = (options: TkeClientOptions): TkeCredentialChain.ChainOptions => ({
  credentials: options.credentials,
  profile: options.profile,
  env: options.env,
  home: options.home,
  systemCredentials: options.systemCredentials,
  roleArn: options.roleArn,
  roleSessionName: options.roleSessionName,
  stsEndpoint: options.stsEndpoint,
  stsCa: options.stsCa
})

/** The service over the TkeTransport in context. */
export const make = (
  options: TkeClientOptions = {}
): Effect.Effect<KubeconfigSourceService.Service, never, TkeTransport> =>
  Effect.gen(function* () {
    yield* warnPlainHttp("tencent", options.endpoint)
    return yield* internalClient.make({
      transport: yield* TkeTransport,
      credentials: TkeCredentialChain.resolve(chainOptions(options)),
      defaultRegion: TkeCredentialChain.defaultRegion(chainOptions(options))
    })
  })

/** The service with the transport `options.transport` names, both living as long as the scope. */
export const scoped = (
  options: TkeClientOptions = {}
): Effect.Effect<KubeconfigSourceService.Service, never, Scope.Scope> =>
  Effect.provideServiceEffect(make(options), TkeTransport, scopedTransport(options))

/** Self-contained: brings the transport `options.transport` names. */
export const layer = (options: TkeClientOptions = {}): Layer.Layer<TkeClient> =>
  Layer.scoped(TkeClient, scoped(options))

/** The same service under the core port's tag. */
export const layerSource = (options: TkeClientOptions = {}): Layer.Layer<KubeconfigSource> =>
  Layer.scoped(KubeconfigSource, scoped(options))

/**
 * Options from Config (KUBECRED_TKE_ENDPOINT, KUBECRED_TKE_TRANSPORT, TCCLI_PROFILE, and the key pair
 * TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY / TENCENTCLOUD_SESSION_TOKEN read with Config.redacted);
 * what the caller passes wins. Whatever Config lacks, the credential chain still finds.
 */
export const optionsConfig = (overrides: TkeClientOptions = {}): Config.Config<TkeClientOptions> =>
  Config.all({
    endpoint: Config.option(Config.string(Env.ENV_ENDPOINT)),
    transport: Config.option(Config.literal("http", "sdk")(Env.ENV_TRANSPORT)),
    profile: Config.option(Config.string(Env.ENV_PROFILE)),
    secretId: Config.option(Config.string(Env.ENV_SECRET_ID)),
    secretKey: Config.option(Config.redacted(Env.ENV_SECRET_KEY)),
    token: Config.option(Config.redacted(Env.ENV_SESSION_TOKEN))
  }).pipe(
    Config.map((config): TkeClientOptions => {
      const credentials =
        Option.isSome(config.secretId) && Option.isSome(config.secretKey)
          ? {
              secretId: config.secretId.value,
              secretKey: config.secretKey.value,
              token: Option.getOrUndefined(config.token)
            }
          : undefined
      return {
        ...overrides,
        endpoint: overrides.endpoint ?? Option.getOrUndefined(config.endpoint),
        transport: overrides.transport ?? Option.getOrUndefined(config.transport),
        profile: overrides.profile ?? Option.getOrUndefined(config.profile),
        credentials: overrides.credentials ?? credentials
      }
    })
  )

export const layerConfig = (overrides: TkeClientOptions = {}): Layer.Layer<TkeClient, ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(optionsConfig(overrides), layer))
