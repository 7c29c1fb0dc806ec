/**
 * The default transport: @effect/platform HttpClient, our own ACS3 (or legacy v2) signature applied in a
 * request-mapping step, responses decoded with Schema. Every attempt is signed afresh (new date, new nonce).
 * Interrupting an attempt aborts the request in flight (HttpClient's AbortSignal).
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Headers from "@effect/platform/Headers"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import { BoundExceeded, type ProviderError } from "@kubecred/core/KubecredError"
import { AnswerBounds } from "@kubecred/core/Policy"
import * as BoundedBody from "@kubecred/http-proxy/BoundedBody"
import type { AckCredentials } from "../AckCredentials.js"
import * as Acs3 from "./acs3Signer.js"
import { type ErrorContext, fromAnswer, malformed } from "./errorMapping.js"
import {
  type AckTransport,
  type Answered,
  type ClustersInput,
  clustersQuery,
  DESCRIBE_CLUSTERS,
  DESCRIBE_KUBECONFIG,
  type KubeconfigInput,
  kubeconfigQuery,
  scrubber,
  type TransportConfig,
  transportError
} from "./transport.js"
import * as V2 from "./v2Signer.js"
import { decodeClustersBody, decodeKubeconfigBody, errorEnvelope } from "./wire.js"

const USER_AGENT = `kubecred-alibaba/0.1.0 (node ${process.version})`

/** Header names never written into spans: the STS token rides in a header of its own. */
const redactedNames = ["x-acs-security-token"]

interface Signing {
  readonly action: string
  readonly pathname: string
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly credentials: AckCredentials
  readonly version: "v3" | "v2"
}

/** The request-mapping step: adds the signature headers for this attempt. */
const signStep =
  (signing: Signing) =>
  (request: HttpClientRequest.HttpClientRequest): Effect.Effect<HttpClientRequest.HttpClientRequest> =>
    Effect.map(Clock.currentTimeMillis, (epochMillis) => {
      const host = new URL(request.url).host
      const params = {
        method: request.method,
        host,
        pathname: signing.pathname,
        query: signing.query,
        action: signing.action,
        credentials: {
          accessKeyId: signing.credentials.accessKeyId,
          accessKeySecret: Redacted.value(signing.credentials.accessKeySecret),
          securityToken:
            signing.credentials.securityToken === undefined
              ? undefined
              : Redacted.value(signing.credentials.securityToken)
        },
        epochMillis,
        nonce: Acs3.makeNonce()
      }
      const headers = signing.version === "v2" ? V2.sign(params) : Acs3.sign(params)
      return HttpClientRequest.setHeaders(request, headers)
    })

const fromHttpError = (action: string) => (error: HttpClientError.HttpClientError) =>
  transportError(action, error.cause ?? error)

export const make = (config: TransportConfig): Effect.Effect<AckTransport, never, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const base = yield* HttpClient.HttpClient

    const call = <A>(params: {
      readonly context: ErrorContext
      readonly region: string
      readonly pathname: string
      readonly query: ReadonlyArray<readonly [string, string]>
      readonly credentials: AckCredentials
      readonly decode: (body: unknown) => Either.Either<A, ParseResult.ParseError>
    }): Effect.Effect<Answered<A>, ProviderError> => {
      const { action } = params.context
      const origin = config.origin(params.region)
      const qs = Acs3.canonicalQuery(params.query)
      const url = `${origin.origin}${params.pathname}${qs === "" ? "" : `?${qs}`}`
      const client = base.pipe(
        HttpClient.mapRequestEffect(
          signStep({
            action,
            pathname: params.pathname,
            query: params.query,
            credentials: params.credentials,
            version: config.signatureVersion
          })
        )
      )
      const scrub = scrubber(params.credentials)
      return client.execute(HttpClientRequest.get(url, { headers: { "user-agent": USER_AGENT } })).pipe(
        Effect.flatMap((response) =>
          Effect.flatMap(AnswerBounds, (bounds) => BoundedBody.text(response, bounds.maxBodyBytes)).pipe(
            Effect.map((text) => ({ status: response.status, headers: response.headers, text }))
          )
        ),
        Effect.mapError((error) =>
          error._tag === "TooLarge"
            ? new BoundExceeded({ provider: "alibaba", action, bound: "body-size", detail: error.detail })
            : fromHttpError(action)(error)
        ),
        Effect.flatMap(({ status, headers, text }): Effect.Effect<Answered<A>, ProviderError> => {
          const requestId = headers["x-acs-request-id"]
          let json: unknown
          let parsed = false
          if (text.trim() !== "") {
            try {
              json = JSON.parse(text)
              parsed = true
            } catch {
              parsed = false
            }
          }
          if (status >= 200 && status < 300) {
            if (text.trim() === "")
              return Effect.fail(malformed(params.context, `HTTP ${status} with an empty body`, requestId))
            if (!parsed) {
              return Effect.fail(
                malformed(
                  params.context,
                  `HTTP ${status} with a body that is not JSON (content-type ${headers["content-type"] ?? "none"})`,
                  requestId
                )
              )
            }
            return Either.match(params.decode(json), {
              onLeft: (error) => {
                const paths = ParseResult.ArrayFormatter.formatErrorSync(error)
                  .slice(0, 3)
                  .map((i) => `${i.path.join(".") || "(root)"}: ${i._tag}`)
                  .join("; ")
                return Effect.fail(
                  malformed(params.context, `the body is not a ${action} answer: ${paths}`, requestId, {
                    cause: new Error(paths)
                  })
                )
              },
              onRight: (value) => Effect.succeed({ value, requestId })
            })
          }
          const envelope = parsed ? errorEnvelope(json) : {}
          return Effect.fail(
            fromAnswer(
              params.context,
              {
                status,
                code: envelope.code,
                message: envelope.message,
                requestId: envelope.requestId ?? requestId,
                retryAfter: headers["x-acs-retry-after"],
                accessDeniedDetail: envelope.accessDeniedDetail
              },
              scrub
            )
          )
        }),
        Effect.locallyWith(Headers.currentRedactedNames, (names) => [...names, ...redactedNames])
      )
    }

    return {
      name: "http",
      ready: Effect.void,
      describeClusterUserKubeconfig: (input: KubeconfigInput, credentials: AckCredentials) =>
        call({
          context: { action: DESCRIBE_KUBECONFIG, clusterId: input.clusterId, region: input.region },
          region: input.region,
          pathname: `/k8s/${Acs3.encodePathSegment(input.clusterId)}/user_config`,
          query: kubeconfigQuery(input),
          credentials,
          decode: decodeKubeconfigBody
        }),
      describeClustersV1: (input: ClustersInput, credentials: AckCredentials) =>
        call({
          context: { action: DESCRIBE_CLUSTERS, region: input.region },
          region: input.region,
          pathname: "/api/v1/clusters",
          query: clustersQuery(input),
          credentials,
          decode: decodeClustersBody
        })
    }
  })
