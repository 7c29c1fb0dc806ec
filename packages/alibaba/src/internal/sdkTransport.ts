/**
 * The `sdk` transport: @alicloud/cs20151215 through Effect.tryPromise, loaded with a dynamic import() on first
 * use so the default path never loads it. Its own retries stay off (no `retryOptions`, contracts.md §2.8); both
 * `connectTimeout` and `readTimeout` are set (the httpx idle-timeout pitfall, §2.3) to the current attempt timeout.
 *
 * Aborting: the SDK takes no AbortSignal. Each call runs inside an AsyncLocalStorage context; a
 * `diagnostics_channel` subscriber on `http.client.request.start` sees every node:http request the SDK starts and
 * files it under the call that started it. When Effect interrupts the attempt (attempt timeout, deadline, caller
 * interruption) the signal handed to tryPromise fires and the call's requests are destroyed: the socket closes at
 * once and the SDK's promise rejects (ignored). The same subscriber records the HTTP status, so an error status
 * with a body that is not JSON (which the SDK surfaces as a bare SyntaxError) is still decided by its status,
 * exactly as the http transport decides it. The SDK's own timeouts remain a backstop.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import { RetryPolicy } from "@kubecred/core/Policy"
import type { ProviderError } from "@kubecred/core/KubecredError"
import { AsyncLocalStorage } from "node:async_hooks"
import * as diagnostics from "node:diagnostics_channel"
import type { ClientRequest, IncomingMessage } from "node:http"
import type { AckCredentials } from "../AckCredentials.js"
import { type ErrorContext, fromAnswer, malformed } from "./errorMapping.js"
import {
  type AckTransport,
  type Answered,
  type ClustersInput,
  DESCRIBE_CLUSTERS,
  DESCRIBE_KUBECONFIG,
  type KubeconfigInput,
  scrubber,
  type TransportConfig,
  transportError
} from "./transport.js"
import { decodeClustersBody, decodeKubeconfigBody, errorEnvelope } from "./wire.js"

type CsModule = typeof import("@alicloud/cs20151215")
type CsClient = import("@alicloud/cs20151215").default
type OpenApiModule = typeof import("@alicloud/openapi-core")
type DaraModule = typeof import("@darabonba/typescript")

interface Sdk {
  readonly Client: new (config: InstanceType<OpenApiModule["$OpenApiUtil"]["Config"]>) => CsClient
  readonly cs: CsModule
  readonly openapi: OpenApiModule
  readonly dara: DaraModule
}

/** CommonJS packages: the namespace may carry the exports directly or under `default`. */
const interop = <T>(mod: any): T =>
  mod && typeof mod === "object" && "default" in mod && mod.default ? { ...mod.default, ...mod } : mod

let sdkPromise: Promise<Sdk> | undefined
const loadSdk = (): Promise<Sdk> =>
  (sdkPromise ??= Promise.all([
    import("@alicloud/cs20151215"),
    import("@alicloud/openapi-core"),
    import("@darabonba/typescript")
  ]).then(([cs, openapi, dara]) => {
    const csm = interop<any>(cs)
    const Client = typeof csm.default === "function" ? csm.default : csm.default?.default
    return { Client, cs: csm, openapi: interop<OpenApiModule>(openapi), dara: interop<DaraModule>(dara) }
  }))

// ---------------------------------------------------------------------------------------------------------------
// per-call tracking of the SDK's node:http requests

interface CallState {
  readonly requests: Set<ClientRequest>
  status: number | undefined
  aborted: boolean
}

const calls = new AsyncLocalStorage<CallState>()
let subscribed = false
const subscribe = () => {
  if (subscribed) return
  subscribed = true
  diagnostics.subscribe("http.client.request.start", (message) => {
    const state = calls.getStore()
    if (state === undefined) return
    const request = (message as { readonly request: ClientRequest }).request
    if (state.aborted) {
      request.destroy(new Error("aborted by kubecred"))
      return
    }
    state.requests.add(request)
    request.once("response", (response: IncomingMessage) => {
      state.status = response.statusCode
    })
    request.once("close", () => state.requests.delete(request))
  })
}

const runTracked = <A>(signal: AbortSignal, run: (state: CallState) => Promise<A>): Promise<A> => {
  const state: CallState = { requests: new Set(), status: undefined, aborted: false }
  signal.addEventListener(
    "abort",
    () => {
      state.aborted = true
      for (const request of state.requests) request.destroy(new Error("aborted by kubecred"))
    },
    { once: true }
  )
  return calls.run(state, () => run(state))
}

// ---------------------------------------------------------------------------------------------------------------

interface Failure {
  readonly error: unknown
  readonly status: number | undefined
}

const decide = (context: ErrorContext, credentials: AckCredentials, failure: Failure): ProviderError => {
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
    return malformed(context, `HTTP ${failure.status ?? 200} with a body that is not JSON`)
  }
  if (typeof e?.message === "string" && /mismatch/i.test(e.message)) {
    return malformed(context, `the body is not a ${context.action} answer (${e.message.slice(0, 120)})`)
  }
  if (
    typeof e?.code === "string" ||
    /timeout/i.test(String(e?.name)) ||
    /socket|ECONN|aborted/i.test(String(e?.message))
  ) {
    return transportError(context.action, e)
  }
  return malformed(context, `the SDK failed: ${String(e?.name ?? "Error")}`)
}

export const make = (config: TransportConfig): Effect.Effect<AckTransport> =>
  Effect.gen(function* () {
    subscribe()
    // Load the SDK now (the caller chose it), so the first attempt's timeout is not spent importing it; a load
    // failure is reported by every call.
    yield* Effect.either(Effect.tryPromise(loadSdk))
    const clients = new Map<string, CsClient>()
    const clientFor = (sdk: Sdk, region: string, credentials: AckCredentials, timeoutMs: number): CsClient => {
      const origin = config.origin(region)
      const key = `${origin.origin}|${region}|${credentials.accessKeyId}`
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
        const timeoutMs = Math.max(1, Math.ceil(Duration.toMillis(policy.attemptTimeout)))
        const sdk = yield* Effect.tryPromise({
          try: loadSdk,
          catch: (e) => malformed(params.context, `cannot load @alicloud/cs20151215: ${(e as Error).message}`)
        })
        const client = clientFor(sdk, params.region, params.credentials, timeoutMs)
        const runtime = new sdk.dara.RuntimeOptions({ connectTimeout: timeoutMs, readTimeout: timeoutMs })
        const response = yield* Effect.tryPromise({
          try: (signal) =>
            runTracked(signal, (state) =>
              params.invoke(sdk, client, runtime).catch((error: unknown) => {
                throw { error, status: state.status } satisfies Failure
              })
            ),
          catch: (failure) => decide(params.context, params.credentials, failure as Failure)
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
