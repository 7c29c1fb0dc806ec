/**
 * The default transport: @effect/platform HttpClient (node:http underneath), our TC3 signer applied in a
 * request-mapping step, the envelope decoded with Schema.
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { BoundExceeded, type ProviderError } from "@kubecred/core/KubecredError"
import { AnswerBounds } from "@kubecred/core/Policy"
import * as BoundedBody from "@kubecred/http-proxy/BoundedBody"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { TkeCredentials } from "../TkeCredentials.js"
import {
  type CallContext,
  fromCode,
  fromStatus,
  fromTransportCause,
  malformed,
  parseRetryAfter
} from "./errorMapping.js"
import { Envelope, describeParseError } from "./responses.js"
import { SERVICE, sign } from "./tc3Signer.js"
import {
  API_VERSION,
  type TkeAnswer,
  type TkeCall,
  type TkeCaller,
  type TkeTransport,
  fromCaller,
  resolveEndpoint
} from "./transport.js"

const CONTENT_TYPE = "application/json"
const USER_AGENT = "kubecred-tencent"
/** Headers that must never reach a span attribute or a log line. */
const SECRET_HEADERS = ["x-tc-token"]

/** The request-mapping step: X-TC-Timestamp from the Clock, then Authorization over `content-type;host`. */
export const signRequest =
  (credentials: TkeCredentials) =>
  (request: HttpClientRequest.HttpClientRequest): Effect.Effect<HttpClientRequest.HttpClientRequest> =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      const timestamp = Math.floor(now / 1000)
      const url = new URL(request.url)
      const payload = request.body._tag === "Uint8Array" ? request.body.body : new Uint8Array(0)
      const { authorization } = sign({
        method: request.method === "GET" ? "GET" : "POST",
        host: url.hostname,
        path: url.pathname,
        query: url.search.slice(1),
        contentType: request.body._tag === "Uint8Array" ? request.body.contentType : CONTENT_TYPE,
        payload,
        timestamp,
        service: SERVICE,
        secretId: credentials.secretId,
        secretKey: Redacted.value(credentials.secretKey)
      })
      return HttpClientRequest.setHeaders(request, {
        "X-TC-Timestamp": String(timestamp),
        Authorization: authorization
      })
    })

const encoder = new TextEncoder()
const decodeEnvelope = Schema.decodeUnknownEither(Envelope)

const buildRequest = (url: URL, call: TkeCall): HttpClientRequest.HttpClientRequest => {
  url.pathname = "/"
  return HttpClientRequest.post(url).pipe(
    HttpClientRequest.setHeaders({
      "X-TC-Action": call.action,
      "X-TC-Region": call.region,
      "X-TC-Version": API_VERSION,
      "X-TC-RequestClient": USER_AGENT,
      ...(call.credentials.token ? { "X-TC-Token": Redacted.value(call.credentials.token) } : {})
    }),
    HttpClientRequest.bodyUint8Array(encoder.encode(JSON.stringify(call.params)), CONTENT_TYPE)
  )
}

/** The body of an answer as the taxonomy sees it. */
export const interpret = (
  context: CallContext,
  status: number,
  retryAfter: string | undefined,
  body: string,
  now: number
): Either.Either<TkeAnswer, ProviderError> => {
  if (status !== 200) return Either.left(fromStatus(context, status, parseRetryAfter(retryAfter, now)))
  if (body.trim() === "") return Either.left(malformed(context, "empty body"))
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch (error) {
    return Either.left(
      malformed(context, `body is not JSON (${body.length} bytes)`, undefined, {
        cause: new Error((error as Error).name)
      })
    )
  }
  return Either.match(decodeEnvelope(json), {
    onLeft: (error) =>
      Either.left(
        malformed(context, `unexpected envelope: ${describeParseError(error)}`, undefined, {
          cause: new Error(describeParseError(error))
        })
      ),
    onRight: ({ Response }): Either.Either<TkeAnswer, ProviderError> => {
      const requestId = Response.RequestId
      if (Response.Error !== undefined) {
        return Either.left(fromCode(context, { code: Response.Error.Code, message: Response.Error.Message, requestId }))
      }
      return Either.right({ response: Response as Record<string, unknown>, requestId })
    }
  })
}

const mapHttpError = (context: CallContext, error: HttpClientError.HttpClientError): ProviderError => {
  if (error._tag === "RequestError" && error.reason !== "Transport") {
    return malformed(context, `cannot build the request (${error.reason})`)
  }
  return fromTransportCause(context, error.cause ?? error)
}

export interface HttpTransportOptions {
  /** Endpoint URL override (`{region}` is filled in); the global default otherwise. */
  readonly endpoint?: string | undefined
}

export const make = (options: HttpTransportOptions = {}): Effect.Effect<TkeTransport, never, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const redacted = yield* FiberRef.get(Headers.currentRedactedNames)
    const redactedNames = [...redacted, ...SECRET_HEADERS]
    const call: TkeCaller = (request: TkeCall): Effect.Effect<TkeAnswer, ProviderError> => {
      const signed = HttpClient.mapRequestEffect(client, signRequest(request.credentials))
      const context = request.context
      const read = (response: HttpClientResponse.HttpClientResponse) =>
        Effect.flatMap(AnswerBounds, (bounds) => BoundedBody.text(response, bounds.maxBodyBytes)).pipe(
          Effect.catchTag("TooLarge", (tooLarge) =>
            Effect.fail(
              new BoundExceeded({
                provider: "tencent",
                action: context.action,
                bound: "body-size",
                detail: tooLarge.detail
              })
            )
          ),
          Effect.flatMap((body) =>
            Effect.flatMap(Clock.currentTimeMillis, (now) =>
              interpret(context, response.status, response.headers["retry-after"], body, now)
            )
          )
        )
      return resolveEndpoint(options.endpoint, request.region).pipe(
        Effect.flatMap((url) => signed.execute(buildRequest(url, request))),
        Effect.flatMap(read),
        Effect.catchTags({
          RequestError: (error) => Effect.fail(mapHttpError(context, error)),
          ResponseError: (error) => Effect.fail(mapHttpError(context, error))
        }),
        Effect.locally(Headers.currentRedactedNames, redactedNames)
      )
    }
    return fromCaller("http", call, Effect.asVoid(resolveEndpoint(options.endpoint, "ap-guangzhou")))
  })
