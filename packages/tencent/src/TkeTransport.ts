/**
 * The TKE transport as a service: the typed operations of the API (one signed attempt each, decided into the
 * taxonomy). `layerHttp` is our TC3 signer over the HttpClient in context; `layerSdk` is the official
 * tencentcloud-sdk-nodejs-tke, loaded when the layer is built, its agents and request tracking held for the
 * layer's scope. `layer` picks one from `transport`, bringing node:http with HTTPS_PROXY/NO_PROXY agents for
 * the http one.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as ProxyHttpClient from "@kubecred/http-proxy/ProxyHttpClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as HttpTransport from "./internal/httpTransport.js"
import * as SdkTransport from "./internal/sdkTransport.js"
import type * as internal from "./internal/transport.js"

export type Service = internal.TkeTransport

export class TkeTransport extends Context.Tag("@kubecred/tencent/TkeTransport")<TkeTransport, Service>() {}

export interface TransportOptions {
  /** API endpoint URL override (`{region}` is filled in per call); the global endpoint otherwise. */
  readonly endpoint?: string | undefined
  /** `http` (default) or `sdk`. */
  readonly transport?: "http" | "sdk" | undefined
  /** For HTTPS_PROXY / NO_PROXY (default process.env). */
  readonly env?: Record<string, string | undefined> | undefined
}

/** Our own TC3-signed requests over the HttpClient in context. */
export const layerHttp = (options: TransportOptions = {}): Layer.Layer<TkeTransport, never, HttpClient.HttpClient> =>
  Layer.effect(TkeTransport, HttpTransport.make({ endpoint: options.endpoint }))

/** The official SDK. */
export const layerSdk = (options: TransportOptions = {}): Layer.Layer<TkeTransport> =>
  Layer.scoped(TkeTransport, SdkTransport.make({ endpoint: options.endpoint, env: options.env }))

/**
 * The transport `options.transport` names, self-contained, living as long as the scope: what `layer` builds,
 * as an effect (each Layer costs a start a few hundred Effect operations to build and tear down).
 */
export const scoped = (options: TransportOptions = {}): Effect.Effect<TkeTransport["Type"], never, Scope.Scope> =>
  options.transport === "sdk"
    ? SdkTransport.make({ endpoint: options.endpoint, env: options.env })
    : Effect.provideServiceEffect(
        HttpTransport.make({ endpoint: options.endpoint }),
        HttpClient.HttpClient,
        ProxyHttpClient.make(options.env ?? process.env)
      )

/** The transport `options.transport` names, self-contained. */
export const layer = (options: TransportOptions = {}): Layer.Layer<TkeTransport> =>
  Layer.scoped(TkeTransport, scoped(options))
