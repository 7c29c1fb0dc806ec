/**
 * The `sdk` transport: @alicloud/cs20151215 through Effect.tryPromise, loaded with a dynamic import() when the
 * layer that chose it is built, so the default path never loads it. Its own retries stay off (no
 * `retryOptions`, docs/contracts/ack.md "SDK"); both `connectTimeout` and `readTimeout` are set (the httpx
 * idle-timeout pitfall) to the current attempt timeout.
 *
 * Everything the transport holds lives as long as its scope (`acquireRelease`): the SDK clients (one per
 * origin, region and key), the request tracking of @kubecred/http-proxy/SdkRequests (interruption destroys the
 * call's requests, the HTTP status is known when the SDK only says SyntaxError, the body size limit), and the
 * proxy routing: the SDK gives no way to pass an agent (darabonba builds its own, httpx falls back to its
 * module's), so while the transport lives, httpx's `request` is wrapped to hand the calls made under this
 * transport the HTTPS_PROXY / NO_PROXY agents of @kubecred/http-proxy; every other caller is left alone.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { AnswerBounds, RetryPolicy } from "@kubecred/core/Policy"
import { BoundExceeded, InvalidInput, type ProviderError } from "@kubecred/core/KubecredError"
import * as BoundedBody from "@kubecred/http-proxy/BoundedBody"
import * as ProxyHttpClient from "@kubecred/http-proxy/ProxyHttpClient"
import * as SdkRequests from "@kubecred/http-proxy/SdkRequests"
import { isSystemError } from "@kubecred/http-proxy/SystemError"
import { AsyncLocalStorage } from "node:async_hooks"
import type * as Http from "node:http"
import type { AckCredentials } from "../AckCredentials.js"
import { type ErrorContext, fromAnswer, malformed } from "./errorMapping.js"
import {
  type AckTransport,
  type Answered,
  type ClustersInput,
  DESCRIBE_CLUSTERS,
  DESCRIBE_KUBECONFIG,
  type KubeconfigInput,
  refusing,
  scrubber,
  type TransportConfig,
  transportError
} from "./transport.js"
import { decodeClustersBody, decodeKubeconfigBody, errorEnvelope } from "./wire.js"

type CsModule = typeof import("@alicloud/cs20151215")
type CsClient = import("@alicloud/cs20151215").default
type OpenApiModule = typeof import("@alicloud/openapi-core")
type DaraModule = typeof import("@darabonba/typescript")

interface Httpx {
  request: (url: string, options: Record<string, unknown>) => Promise<unknown>
}

interface Sdk {
  readonly Client: new (config: InstanceType<OpenApiModule["$OpenApiUtil"]["Config"]>) => CsClient
  readonly cs: CsModule
  readonly openapi: OpenApiModule
  readonly dara: DaraModule
  readonly httpx: Httpx
}

/** CommonJS packages: the namespace may carry the exports directly or under `default`. */
const interop = <T>(mod: any): T =>
  mod && typeof mod === "object" && "default" in mod && mod.default ? { ...mod.default, ...mod } : mod

const loadSdk = Effect.tryPromise({
  try: () =>
    Promise.all([
      import("@alicloud/cs20151215"),
      import("@alicloud/openapi-core"),
      import("@darabonba/typescript"),
      import("httpx")
    ]).then(([cs, openapi, dara, httpx]): Sdk => {
      const csm = interop<any>(cs)
      const Client = typeof csm.default === "function" ? csm.default : csm.default?.default
      // the module object itself (not a copy): darabonba reads `request` from it on every call
      const httpxExports = ((httpx as { default?: Httpx }).default ?? httpx) as Httpx
      return {
        Client,
        cs: csm,
        openapi: interop<OpenApiModule>(openapi),
        dara: interop<DaraModule>(dara),
        httpx: httpxExports
      }
    }),
  catch: (error) =>
    new InvalidInput({
      field: "transport",
      detail: `cannot load @alicloud/cs20151215 for the sdk transport (${(error as Error)?.message ?? error})`
    })
})

/** Routes httpx requests made inside `routed.run` through the given agents, for the life of the scope. */
const routeHttpx = (
  httpx: Httpx,
  agents: { readonly http: Http.Agent; readonly https: Http.Agent }
): Effect.Effect<AsyncLocalStorage<true>, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const routed = new AsyncLocalStorage<true>()
      const original = httpx.request
      let active = true
      const wrapped = function (this: unknown, url: string, options: Record<string, unknown>) {
        const agent = /^https:/i.test(url) ? agents.https : agents.http
        return original.call(this, url, active && routed.getStore() ? { ...options, agent } : options)
      }
      httpx.request = wrapped
      return {
        routed,
        release: () => {
          active = false
          if (httpx.request === wrapped) httpx.request = original
        }
      }
    }),
    ({ release }) => Effect.sync(release)
  ).pipe(Effect.map(({ routed }) => routed))

// ---------------------------------------------------------------------------------------------------------------

interface Failure {
  readonly error: unknown
  readonly status: number | undefined
  readonly tooLarge: BoundedBody.TooLarge | undefined
}

const decide = (context: ErrorContext, credentials: AckCredentials, failure: Failure): ProviderError => {
  if (failure.tooLarge !== undefined) {
    return new BoundExceeded({
      provider: "alibaba",
      action: context.action,
      bound: "body-size",
      detail: failure.tooLarge.detail
    })
  }
  const e = failure.error as Record<string, unknown> & Error
  const text = (v: unknown) => (typeof v === "string" && v !== "" && v !== "undefined" ? v : undefined)
  // AlibabaCloudError: ClientError, ServerError, ThrottlingError
  if (typeof e?.code === "string" && typeof e.statusCode === "number") {
    const envelope = errorEnvelope(e.data)
    return fromAnswer(
      context,
      {
        status: e.statusCode,
        code: e.code,
        message: envelope.message ?? text(e.description),
        requestId: text(e.requestId) ?? envelope.requestId,
        retryAfter: typeof e.retryAfter === "number" ? e.retryAfter : undefined,
        accessDeniedDetail: e.accessDeniedDetail ?? envelope.accessDeniedDetail
      },
      scrubber(credentials)
    )
  }
  if (e instanceof SyntaxError) {
    if (failure.status !== undefined && failure.status >= 400) return fromAnswer(context, { status: failure.status })
    return malformed(context, `HTTP ${failure.status ?? 200} with a body that is not JSON`, undefined, {
      cause: new Error(e.name)
    })
  }
  if (typeof e?.message === "string" && /mismatch/i.test(e.message)) {
    return malformed(context, `the body is not a ${context.action} answer (${e.message.slice(0, 120)})`)
  }
  if (isSystemError(e) || /socket/i.test(String(e?.message))) return transportError(context.action, e)
  return malformed(context, `the SDK failed: ${String(e?.name ?? "Error")}`, undefined, {
    cause: new Error(String(e?.name ?? "Error"))
  })
}

export const make = (
  config: TransportConfig,
  env: Record<string, string | undefined> = process.env
): Effect.Effect<AckTransport, never, Scope.Scope> =>
  Effect.gen(function* () {
    // Load the SDK now (the caller chose it), so the first attempt's timeout is not spent importing it; a load
    // failure is reported by every call (nothing is sent).
    const loaded = yield* Effect.either(loadSdk)
    if (Either.isLeft(loaded)) return refusing("sdk", loaded.left)
    const sdk = loaded.right
    const tracker = yield* SdkRequests.make
    const agents = yield* ProxyHttpClient.scopedAgents(env)
    const routed = yield* routeHttpx(sdk.httpx, agents)
    const clients = yield* Effect.acquireRelease(
      Effect.sync(() => new Map<string, CsClient>()),
      (map) => Effect.sync(() => map.clear())
    )
    const clientFor = (region: string, credentials: AckCredentials, timeoutMs: number): CsClient => {
      const origin = config.origin(region)
      const key = `${origin.origin}|${region}|${credentials.accessKeyId}|${timeoutMs}`
      const existing = clients.get(key)
      if (existing) return existing
      const client = new sdk.Client(
        new sdk.openapi.$OpenApiUtil.Config({
          accessKeyId: credentials.accessKeyId,
          accessKeySecret: Redacted.value(credentials.accessKeySecret),
          ...(credentials.securityToken === undefined
            ? {}
            : { securityToken: Redacted.value(credentials.securityToken) }),
          endpoint: origin.host,
          protocol: origin.protocol.slice(0, -1),
          regionId: region,
          connectTimeout: timeoutMs,
          readTimeout: timeoutMs,
          ...(config.signatureVersion === "v2" ? { signatureAlgorithm: "v2" } : {})
        })
      )
      clients.set(key, client)
      return client
    }

    const call = <A>(params: {
      readonly context: ErrorContext
      readonly region: string
      readonly credentials: AckCredentials
      readonly invoke: (sdk: Sdk, client: CsClient, runtime: unknown) => Promise<{ headers?: unknown; body?: unknown }>
      readonly decode: (body: unknown) => Either.Either<A, ParseResult.ParseError>
    }): Effect.Effect<Answered<A>, ProviderError> =>
      Effect.gen(function* () {
        const policy = yield* RetryPolicy
        const bounds = yield* AnswerBounds
        const timeoutMs = Math.max(1, Math.ceil(Duration.toMillis(policy.attemptTimeout)))
        const client = clientFor(params.region, params.credentials, timeoutMs)
        const runtime = new sdk.dara.RuntimeOptions({ connectTimeout: timeoutMs, readTimeout: timeoutMs })
        const response = yield* Effect.tryPromise({
          try: (signal) =>
            tracker.run(signal, bounds.maxBodyBytes, (state) =>
              routed
                .run(true, () => params.invoke(sdk, client, runtime))
                .catch((error: unknown) => {
                  throw { error, status: state.status, tooLarge: state.tooLarge } satisfies Failure
                })
            ),
          catch: (failure) =>
            decide(
              params.context,
              params.credentials,
              failure instanceof BoundedBody.TooLarge
                ? { error: failure, status: undefined, tooLarge: failure }
                : (failure as Failure)
            )
        })
        const headers = (response.headers ?? {}) as Record<string, string | undefined>
        const requestId = headers["x-acs-request-id"]
        const body = response.body as { toMap?: () => unknown } | undefined
        const wire = body && typeof body.toMap === "function" ? body.toMap() : body
        return yield* Either.match(params.decode(wire), {
          onLeft: () =>
            Effect.fail(malformed(params.context, `the body is not a ${params.context.action} answer`, requestId)),
          onRight: (value) => Effect.succeed({ value, requestId })
        })
      })

    return {
      name: "sdk",
      ready: Effect.void,
      describeClusterUserKubeconfig: (input: KubeconfigInput, credentials: AckCredentials) =>
        call({
          context: { action: DESCRIBE_KUBECONFIG, clusterId: input.clusterId, region: input.region },
          region: input.region,
          credentials,
          invoke: (sdk, client, runtime) =>
            client.describeClusterUserKubeconfigWithOptions(
              input.clusterId,
              new sdk.cs.DescribeClusterUserKubeconfigRequest({
                privateIpAddress: input.privateIpAddress,
                ...(input.temporaryDurationMinutes === undefined
                  ? {}
                  : { temporaryDurationMinutes: input.temporaryDurationMinutes })
              }),
              {},
              runtime as any
            ),
          decode: decodeKubeconfigBody
        }),
      describeClustersV1: (input: ClustersInput, credentials: AckCredentials) =>
        call({
          context: { action: DESCRIBE_CLUSTERS, region: input.region },
          region: input.region,
          credentials,
          invoke: (sdk, client, runtime) =>
            client.describeClustersV1WithOptions(
              new sdk.cs.DescribeClustersV1Request({
                pageNumber: input.pageNumber,
                pageSize: input.pageSize,
                ...(input.accountWide === true ? {} : { regionId: input.region }),
                ...(input.clusterId === undefined ? {} : { clusterId: input.clusterId }),
                ...(input.name === undefined ? {} : { name: input.name })
              }),
              {},
              runtime as any
            ),
          decode: decodeClustersBody
        })
    }
  })
