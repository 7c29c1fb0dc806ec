/**
 * The `sdk` transport: the official tencentcloud-sdk-nodejs-tke, loaded with a dynamic `import()` on first
 * use by the layer that chose it (the default path never loads it), called through Effect.tryPromise with the
 * fiber's AbortSignal passed to `AbstractClient.request(action, params, { signal })` (common 4.1.220 forwards it
 * to node-fetch, which destroys the socket on abort). An explicit keep-alive agent is always passed
 * (@kubecred/http-proxy: it honours HTTPS_PROXY / NO_PROXY like the http transport), so the SDK's unconditional
 * `http_proxy` handling never applies (docs/contracts/tke.md "SDK"). The SDK has no retries of its own; ours
 * apply. Its node:http requests are tracked (@kubecred/http-proxy/SdkRequests) for the body size limit.
 */
import { BoundExceeded, InvalidInput, type ProviderError } from "@kubecred/core/KubecredError"
import { AnswerBounds } from "@kubecred/core/Policy"
import * as ProxyHttpClient from "@kubecred/http-proxy/ProxyHttpClient"
import * as BoundedBody from "@kubecred/http-proxy/BoundedBody"
import * as SdkRequests from "@kubecred/http-proxy/SdkRequests"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import { type CallContext, fromCode, fromStatus, fromTransportCause, malformed } from "./errorMapping.js"
import { type TkeAnswer, type TkeCall, type TkeTransport, fromCaller, resolveEndpoint } from "./transport.js"

interface SdkClient {
  request(action: string, req: unknown, options: { signal?: AbortSignal }): Promise<unknown>
}
type SdkClientConstructor = new (config: {
  credential: { secretId: string; secretKey: string; token?: string | undefined }
  region: string
  profile: {
    httpProfile: {
      endpoint: string
      protocol: string
      reqTimeout: number
      agent: (url: URL) => Http.Agent
    }
  }
}) => SdkClient

/** Our attempt timeout governs; the SDK's own (node-fetch `timeout`) only backs it up. */
const SDK_TIMEOUT_SECONDS = 300

const loadSdk = Effect.tryPromise({
  try: async () => {
    const module: any = await import("tencentcloud-sdk-nodejs-tke")
    const root = module.tke ? module : module.default
    return root.tke.v20180525.Client as SdkClientConstructor
  },
  catch: (error) =>
    new InvalidInput({
      field: "transport",
      detail: `cannot load tencentcloud-sdk-nodejs-tke for the sdk transport (${(error as Error)?.message ?? error})`
    })
})

/** The SDK's failures, decided into the taxonomy (docs/contracts/tke.md "SDK"). */
export const mapSdkError = (context: CallContext, error: unknown): ProviderError => {
  const e = error as { code?: unknown; httpCode?: unknown; requestId?: unknown; type?: unknown; message?: unknown }
  if (typeof e === "object" && e !== null) {
    if (typeof e.code === "string" && "requestId" in e) {
      return fromCode(context, {
        code: e.code,
        message: typeof e.message === "string" ? e.message : undefined,
        requestId: typeof e.requestId === "string" && e.requestId !== "" ? e.requestId : undefined
      })
    }
    if (typeof e.httpCode === "number") return fromStatus(context, e.httpCode)
    // node-fetch's raw FetchError when the 200 body is not JSON (empty and cut-off bodies included)
    if (e.type === "invalid-json") return malformed(context, "body is not JSON")
    // `data.Response.Error` on a body without `Response`
    if (error instanceof TypeError) return malformed(context, "unexpected envelope: no Response")
  }
  return fromTransportCause(context, error)
}

export interface SdkTransportOptions {
  readonly endpoint?: string | undefined
  /** For HTTPS_PROXY / NO_PROXY (default process.env). */
  readonly env?: Record<string, string | undefined> | undefined
}

export const make = (options: SdkTransportOptions = {}): Effect.Effect<TkeTransport, never, Scope.Scope> =>
  Effect.gen(function* () {
    const agents = yield* ProxyHttpClient.scopedAgents(options.env ?? process.env)
    const agent = (url: URL): Http.Agent => (url.protocol === "https:" ? agents.https : agents.http)
    const tracker = yield* SdkRequests.make
    const Client = yield* Effect.cached(loadSdk)

    const call = (request: TkeCall): Effect.Effect<TkeAnswer, ProviderError> =>
      Effect.gen(function* () {
        const Ctor = yield* Client
        const url = yield* resolveEndpoint(options.endpoint, request.region)
        const client = new Ctor({
          credential: {
            secretId: request.credentials.secretId,
            secretKey: Redacted.value(request.credentials.secretKey),
            ...(request.credentials.token ? { token: Redacted.value(request.credentials.token) } : {})
          },
          region: request.region,
          profile: {
            httpProfile: {
              endpoint: url.host,
              protocol: `${url.protocol}//`,
              reqTimeout: SDK_TIMEOUT_SECONDS,
              agent
            }
          }
        })
        const bounds = yield* AnswerBounds
        const response = yield* Effect.tryPromise({
          try: (signal) =>
            tracker.run(signal, bounds.maxBodyBytes, (state) =>
              client.request(request.action, request.params, { signal }).catch((error: unknown) => {
                throw state.tooLarge ?? error
              })
            ),
          catch: (error) =>
            error instanceof BoundedBody.TooLarge
              ? new BoundExceeded({
                  provider: "tencent",
                  action: request.action,
                  bound: "body-size",
                  detail: error.detail
                })
              : mapSdkError(request.context, error)
        })
        if (typeof response !== "object" || response === null || Array.isArray(response)) {
          return yield* malformed(request.context, "unexpected envelope: Response is not an object")
        }
        const requestId = (response as { RequestId?: unknown }).RequestId
        return {
          response: response as Record<string, unknown>,
          requestId: typeof requestId === "string" ? requestId : undefined
        }
      })

    return fromCaller(
      "sdk",
      call,
      Effect.zipRight(Effect.asVoid(resolveEndpoint(options.endpoint, "ap-guangzhou")), Effect.asVoid(Client))
    )
  })
