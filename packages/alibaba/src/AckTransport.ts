/**
 * The ACK transport as a service: the typed operations of the CS 2015-12-15 API (one signed attempt each,
 * decided into the taxonomy). `layerHttp` is our ACS3 (or legacy v2) signer over the HttpClient in context;
 * `layerSdk` is @alicloud/cs20151215, loaded when the layer is built, its clients, request tracking and proxy
 * routing held for the layer's scope. `layer` picks one from `transport`, bringing node:http with
 * HTTPS_PROXY/NO_PROXY agents for the http one.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { InvalidInput } from "@kubecred/core/KubecredError"
import * as ProxyHttpClient from "@kubecred/http-proxy/ProxyHttpClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import { defaultEndpoint, parseOverride } from "./AckEndpoint.js"
import * as HttpTransport from "./internal/httpTransport.js"
import * as SdkTransport from "./internal/sdkTransport.js"
import * as internal from "./internal/transport.js"

export type Service = internal.AckTransport

export class AckTransport extends Context.Tag("@kubecred/alibaba/AckTransport")<AckTransport, Service>() {}

export interface TransportOptions {
  /**
   * API origin override, e.g. `http://127.0.0.1:8080` (a bare `host[:port]` means https). Default
   * `https://cs.<region>.aliyuncs.com`, or `https://cs.aliyuncs.com` for the centrally served regions.
   */
  readonly endpoint?: string | undefined
  /** `http` (default) or `sdk`. */
  readonly transport?: "http" | "sdk" | undefined
  /** `v2` = legacy ROA HMAC-SHA1 (`acs AK:sig`). Default v3 (ACS3-HMAC-SHA256). */
  readonly signatureVersion?: "v3" | "v2" | undefined
  /** For HTTPS_PROXY / NO_PROXY (default process.env). */
  readonly env?: Record<string, string | undefined> | undefined
}

/** The origin for each region, or why the override is refused. */
const configOf = (options: TransportOptions): internal.TransportConfig | InvalidInput => {
  const signatureVersion = options.signatureVersion ?? "v3"
  if (options.endpoint === undefined || options.endpoint.trim() === "") {
    return { origin: (region) => new URL(defaultEndpoint(region)), signatureVersion }
  }
  const override = parseOverride(options.endpoint)
  if (override === undefined) {
    return new InvalidInput({
      field: "endpoint",
      detail: `ACK endpoint override ${JSON.stringify(options.endpoint)} is not an http(s) URL or host[:port]`
    })
  }
  return { origin: () => override, signatureVersion }
}

/** Our own ACS3 / v2 signed requests over the HttpClient in context. */
export const layerHttp = (options: TransportOptions = {}): Layer.Layer<AckTransport, never, HttpClient.HttpClient> => {
  const config = configOf(options)
  return config instanceof InvalidInput
    ? Layer.succeed(AckTransport, internal.refusing("http", config))
    : Layer.effect(AckTransport, HttpTransport.make(config))
}

/** The official SDK. */
export const layerSdk = (options: TransportOptions = {}): Layer.Layer<AckTransport> => {
  const config = configOf(options)
  return config instanceof InvalidInput
    ? Layer.succeed(AckTransport, internal.refusing("sdk", config))
    : Layer.scoped(AckTransport, SdkTransport.make(config, options.env ?? process.env))
}

/**
 * The transport `options.transport` names, self-contained, living as long as the scope: what `layer` builds,
 * as an effect (each Layer costs a start a few hundred Effect operations to build and tear down).
 */
export const scoped = (options: TransportOptions = {}): Effect.Effect<AckTransport["Type"], never, Scope.Scope> => {
  const config = configOf(options)
  if (config instanceof InvalidInput) return Effect.succeed(internal.refusing(options.transport ?? "http", config))
  return options.transport === "sdk"
    ? SdkTransport.make(config, options.env ?? process.env)
    : Effect.provideServiceEffect(
        HttpTransport.make(config),
        HttpClient.HttpClient,
        ProxyHttpClient.make(options.env ?? process.env)
      )
}

/** The transport `options.transport` names, self-contained. */
export const layer = (options: TransportOptions = {}): Layer.Layer<AckTransport> =>
  Layer.scoped(AckTransport, scoped(options))
