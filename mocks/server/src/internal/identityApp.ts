/**
 * The identity surface beside the cloud APIs: routing of both STSs, the OIDC issuer (discovery, JWKS, and the
 * token mint on the control endpoint), a credentials URI (as a sidecar serving a role's session would), and the
 * controls of STS session expiry. docs/mock-sts.md.
 */
import { Effect, Schema } from "effect"
import * as AlibabaSts from "./alibabaSts.js"
import { decodeBody } from "./controlApi.js"
import { ControlState } from "./controlState.js"
import { OidcIssuer } from "./oidcIssuer.js"
import type { Provider } from "./provider.js"
import { json, type Reply, type RequestFacts } from "./reply.js"
import { StsDirectory } from "./stsDirectory.js"
import * as TencentSts from "./tencentSts.js"

export const OIDC_PREFIX = "/oidc"
export const TOKEN_PATH = "/oidc/token"
export const CREDENTIALS_URI_PREFIX = "/credentials-uri/alibaba/"
const CONTROL_PATHS = ["/sts-lifetime", "/sts-expire"]

type StsContext =
  | Effect.Effect.Context<ReturnType<typeof AlibabaSts.handle>>
  | Effect.Effect.Context<ReturnType<typeof TencentSts.handle>>

/** The STS request this is, if any: its cloud, action (for stats and faults) and answer. */
export const stsRoute = (
  facts: RequestFacts
): { provider: Provider; action: string; handle: Effect.Effect<Reply, never, StsContext> } | undefined => {
  if (AlibabaSts.isStsRequest(facts)) {
    return { provider: "alibaba", action: AlibabaSts.actionOf(facts), handle: AlibabaSts.handle(facts) }
  }
  if (TencentSts.isStsRequest(facts)) {
    return { provider: "tencent", action: facts.headers["x-tc-action"]!, handle: TencentSts.handle(facts) }
  }
  return undefined
}

export const isIdentityPath = (path: string): boolean =>
  path.startsWith(`${OIDC_PREFIX}/`) || path.startsWith(CREDENTIALS_URI_PREFIX) || CONTROL_PATHS.includes(path)

const MintBody = Schema.Struct({
  audience: Schema.String.pipe(Schema.minLength(1)),
  subject: Schema.String.pipe(Schema.minLength(1)),
  expiresInSeconds: Schema.optional(Schema.Int),
  issuer: Schema.optional(Schema.String)
})
const LifetimeBody = Schema.Struct({ seconds: Schema.NullOr(Schema.Int.pipe(Schema.positive())) })
const ExpireBody = Schema.Struct({ accessKeyId: Schema.optional(Schema.String) })

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")

const credentialsUri = (facts: RequestFacts) =>
  Effect.gen(function* () {
    if (facts.method !== "GET") return json(405, { Code: "MethodNotAllowed" })
    const directory = yield* StsDirectory
    const name = decodeURIComponent(facts.path.slice(CREDENTIALS_URI_PREFIX.length))
    const role = directory.roles("alibaba").find((r) => r.name === name)
    if (role === undefined) return json(404, { Code: "RoleNotFound", Message: `no role ${name}` })
    const now = yield* (yield* ControlState).now
    const { identity, expiresAt } = directory.issue("alibaba", role, 3600, now)
    return json(200, {
      Code: "Success",
      AccessKeyId: identity.keyId,
      AccessKeySecret: identity.secret,
      SecurityToken: identity.token,
      Expiration: iso(expiresAt)
    })
  })

/** Everything `isIdentityPath` accepts. */
export const handle = (facts: RequestFacts): Effect.Effect<Reply, never, OidcIssuer | StsDirectory | ControlState> =>
  Effect.gen(function* () {
    const issuer = yield* OidcIssuer
    const control = yield* ControlState
    const route = `${facts.method} ${facts.path}`
    if (facts.path.startsWith(CREDENTIALS_URI_PREFIX)) return yield* credentialsUri(facts)
    switch (route) {
      case `GET ${OIDC_PREFIX}/.well-known/openid-configuration`:
        return json(200, issuer.discovery())
      case `GET ${OIDC_PREFIX}/jwks`:
        return json(200, issuer.jwks())
      case `POST ${TOKEN_PATH}`: {
        const body = yield* decodeBody(MintBody, facts)
        return json(200, { token: yield* issuer.mint(body, yield* control.now) })
      }
      case "PUT /sts-lifetime": {
        const body = yield* decodeBody(LifetimeBody, facts)
        ;(yield* StsDirectory).setLifetime(body.seconds ?? undefined)
        return json(200, { ok: true })
      }
      case "POST /sts-expire": {
        const body = yield* decodeBody(ExpireBody, facts)
        return json(200, { expired: (yield* StsDirectory).expire(yield* control.now, body.accessKeyId) })
      }
      default:
        return json(404, { error: `no route for ${route}` })
    }
  }).pipe(Effect.merge)
