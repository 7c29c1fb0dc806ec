/**
 * The ACK client: Alibaba Cloud Container Service for Kubernetes (`CS`, 2015-12-15) as a KubeconfigSource.
 *
 * - `http` transport (default): @effect/platform HttpClient over node:http, our own ACS3 (or legacy v2) signer;
 * - `sdk` transport: @alicloud/cs20151215, loaded only when chosen.
 *
 * Credentials come from the Alibaba chain (AckCredentials.ts), resolved on first call. Every call is paced per
 * AccessKeyId and action (ThrottlePolicy) and retried under RetryPolicy (both from @kubecred/core/Policy).
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { KubeconfigSource, type Service } from "@kubecred/core/KubeconfigSource"
import { InvalidInput } from "@kubecred/core/KubecredError"
import * as ProxyHttpClient from "@kubecred/http-proxy/ProxyHttpClient"
import type { AckCredentials } from "./AckCredentials.js"
import { defaultEndpoint, parseOverride } from "./AckEndpoint.js"
import * as HttpTransport from "./internal/httpTransport.js"
import * as SdkTransport from "./internal/sdkTransport.js"
import * as Source from "./internal/source.js"
import type { TransportConfig } from "./internal/transport.js"

export type { AckCredentials } from "./AckCredentials.js"

export interface AckClientOptions {
  /**
   * API origin override, e.g. `http://127.0.0.1:8080` (a bare `host[:port]` means https). Default
   * `https://cs.<region>.aliyuncs.com`, or `https://cs.aliyuncs.com` for the centrally served regions.
   */
  readonly endpoint?: string | undefined
  /** Explicit credentials; otherwise the chain, resolved lazily on first call. */
  readonly credentials?: AckCredentials | undefined
  /** aliyun CLI profile (else ALIBABA_CLOUD_PROFILE, else the file's `current`); also the INI section. */
  readonly profile?: string | undefined
  readonly transport?: "http" | "sdk" | undefined
  /** `v2` = legacy ROA HMAC-SHA1 (`acs AK:sig`). Default v3 (ACS3-HMAC-SHA256). */
  readonly signatureVersion?: "v3" | "v2" | undefined
  /** Environment for the credential chain (default process.env), for tests. */
  readonly env?: Record<string, string | undefined>
  /** Home directory for the credential chain (default os.homedir()), for tests. */
  readonly home?: string
}

export class AckClient extends Context.Tag("@kubecred/alibaba/AckClient")<AckClient, Service>() {}

/** A service whose every call fails with the same input error (an endpoint override that is not a URL). */
const refusing = (error: InvalidInput): Service => ({
  provider: "alibaba",
  defaultRegion: Effect.succeed(Option.none()),
  regions: Effect.fail(error),
  fetch: () => Effect.fail(error),
  listClusters: () => Stream.fail(error)
})

/**
 * Builds the client. The http transport uses the HttpClient in the context when there is one, else its own
 * node:http client (NodeHttpClient, keep-alive, HTTPS_PROXY / HTTP_PROXY / NO_PROXY from `env`, default
 * process.env) living in the given Scope. The sdk transport honours no proxy (@darabonba/typescript 1.0.5 ignores
 * its proxy options, contracts.md §2.3).
 */
export const make = (options: AckClientOptions = {}): Effect.Effect<Service, never, Scope.Scope> =>
  Effect.gen(function* () {
    let origin: (region: string) => URL = (region) => new URL(defaultEndpoint(region))
    if (options.endpoint !== undefined && options.endpoint.trim() !== "") {
      const override = parseOverride(options.endpoint)
      if (override === undefined) {
        return refusing(
          new InvalidInput({
            field: "endpoint",
            detail: `ACK endpoint override ${JSON.stringify(options.endpoint)} is not an http(s) URL or host[:port]`
          })
        )
      }
      origin = () => override
    }
    const config: TransportConfig = { origin, signatureVersion: options.signatureVersion ?? "v3" }
    const chain = { credentials: options.credentials, profile: options.profile, env: options.env, home: options.home }
    if (options.transport === "sdk") return yield* Source.make(yield* SdkTransport.make(config), chain)
    const provided = yield* Effect.serviceOption(HttpClient.HttpClient)
    const client = Option.isSome(provided) ? provided.value : yield* ProxyHttpClient.make(options.env ?? process.env)
    const transport = yield* HttpTransport.make(config).pipe(Effect.provideService(HttpClient.HttpClient, client))
    return yield* Source.make(transport, chain)
  })

export const layer = (options: AckClientOptions = {}): Layer.Layer<AckClient> => Layer.scoped(AckClient, make(options))

/** The same client under the provider-neutral port tag, for code that only knows KubeconfigSource. */
export const layerSource = (options: AckClientOptions = {}): Layer.Layer<KubeconfigSource> =>
  Layer.scoped(KubeconfigSource, make(options))

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
  endpoint: optional(Config.string("KUBECRED_ACK_ENDPOINT")),
  transport: optional(Config.literal("http", "sdk")("KUBECRED_ACK_TRANSPORT")),
  signatureVersion: optional(Config.literal("v3", "v2")("KUBECRED_ACK_SIGNATURE_VERSION")),
  profile: optional(Config.string("ALIBABA_CLOUD_PROFILE"))
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
      return yield* make({ ...options, credentials: explicit })
    })
  )
