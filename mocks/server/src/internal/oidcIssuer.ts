/**
 * The mock's OIDC issuer: one RS256 key, its discovery document and JWKS, tokens minted on request, and the
 * verification the mock STS runs on a web identity token (signature, issuer, audience, subject, expiry), all
 * with `jose` (docs/mock-sts.md).
 */
import { Context, Effect } from "effect"
import * as Jose from "jose"
import { randomUUID } from "node:crypto"

/** Why a token was refused; each STS maps it to its own code. */
export type TokenProblem = "malformed" | "signature" | "issuer" | "audience" | "subject" | "expired" | "notYetValid"

export class TokenRefused {
  readonly _tag = "TokenRefused"
  constructor(
    readonly problem: TokenProblem,
    readonly message: string
  ) {}
}

export interface VerifiedToken {
  readonly issuer: string
  readonly subject: string
  readonly audiences: ReadonlyArray<string>
  readonly issuedAt: number
  readonly expiresAt: number
}

export interface MintRequest {
  readonly audience: string
  readonly subject: string
  /** Lifetime from now; zero or negative mints a token that has already expired. Default 3600. */
  readonly expiresInSeconds?: number | undefined
  /** Another `iss` (signed with the mock's key all the same): for tests of a provider refusing foreign issuers. */
  readonly issuer?: string | undefined
}

export interface OidcIssuerService {
  readonly issuer: string
  readonly discovery: () => Record<string, unknown>
  readonly jwks: () => { keys: ReadonlyArray<Jose.JWK> }
  readonly mint: (request: MintRequest, nowMs: number) => Effect.Effect<string>
  readonly verify: (
    token: string,
    expected: { readonly issuer: string; readonly audiences: ReadonlyArray<string>; readonly nowMs: number }
  ) => Effect.Effect<VerifiedToken, TokenRefused>
}

export class OidcIssuer extends Context.Tag("@kubecred/mock-cloud/internal/OidcIssuer")<
  OidcIssuer,
  OidcIssuerService
>() {}

const ALGORITHM = "RS256"

const refusal = (error: unknown): TokenRefused => {
  if (error instanceof Jose.errors.JWTExpired) return new TokenRefused("expired", "The token has expired.")
  if (error instanceof Jose.errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return new TokenRefused("issuer", "The token's issuer does not match the provider.")
    if (error.claim === "aud") return new TokenRefused("audience", "The token's audience is not accepted.")
    if (error.claim === "sub") return new TokenRefused("subject", "The token has no subject.")
    if (error.claim === "nbf" || error.claim === "iat")
      return new TokenRefused("notYetValid", "The token is not valid yet.")
    return new TokenRefused("malformed", `The token's ${error.claim} claim is invalid.`)
  }
  if (error instanceof Jose.errors.JWSSignatureVerificationFailed || error instanceof Jose.errors.JWKSNoMatchingKey)
    return new TokenRefused("signature", "The token's signature is invalid.")
  if (error instanceof Jose.errors.JOSEAlgNotAllowed)
    return new TokenRefused("malformed", "The token's algorithm is not RS256.")
  return new TokenRefused("malformed", "The token is not a valid JWT.")
}

/** A fresh key for an issuer at `issuer` (e.g. `https://127.0.0.1:P/oidc`). */
export const make = (issuer: string): Effect.Effect<OidcIssuerService> =>
  Effect.promise(async () => {
    const { publicKey, privateKey } = await Jose.generateKeyPair(ALGORITHM, { extractable: true })
    const kid = randomUUID()
    const publicJwk: Jose.JWK = { ...(await Jose.exportJWK(publicKey)), kid, alg: ALGORITHM, use: "sig" }
    const keySet = Jose.createLocalJWKSet({ keys: [publicJwk] })
    const service: OidcIssuerService = {
      issuer,
      discovery: () => ({
        issuer,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["id_token"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: [ALGORITHM],
        claims_supported: ["iss", "sub", "aud", "exp", "iat", "nbf"]
      }),
      jwks: () => ({ keys: [publicJwk] }),
      mint: (request, nowMs) =>
        Effect.promise(() => {
          const now = Math.floor(nowMs / 1000)
          return new Jose.SignJWT({})
            .setProtectedHeader({ alg: ALGORITHM, kid, typ: "JWT" })
            .setIssuer(request.issuer ?? issuer)
            .setSubject(request.subject)
            .setAudience(request.audience)
            .setIssuedAt(now)
            .setNotBefore(now - 60)
            .setExpirationTime(now + (request.expiresInSeconds ?? 3600))
            .setJti(randomUUID())
            .sign(privateKey)
        }),
      verify: (token, expected) =>
        Effect.tryPromise({
          try: () =>
            Jose.jwtVerify(token, keySet, {
              algorithms: [ALGORITHM],
              issuer: expected.issuer,
              audience: [...expected.audiences],
              requiredClaims: ["sub", "exp", "iat"],
              currentDate: new Date(expected.nowMs)
            }),
          catch: refusal
        }).pipe(
          Effect.flatMap(({ payload }) =>
            typeof payload.sub === "string" && payload.sub !== ""
              ? Effect.succeed({
                  issuer: payload.iss!,
                  subject: payload.sub,
                  audiences: typeof payload.aud === "string" ? [payload.aud] : [...(payload.aud ?? [])],
                  issuedAt: payload.iat!,
                  expiresAt: payload.exp!
                })
              : Effect.fail(new TokenRefused("subject", "The token has no subject."))
          )
        )
    }
    return service
  })
