/**
 * Who may assume what: the roles, their trust policies and the OIDC providers of each cloud's mock STS, as a
 * schema for fixture files and the built-in defaults (docs/mock-sts.md).
 */
import { Schema } from "effect"

/**
 * A principal a trust policy names: `key` (the long-lived demo key of the ready file), `sts` (the fixed STS
 * identity the instance metadata services hand out), or `role:<name>` (a session of that role, for chaining).
 */
export const Principal = Schema.Union(
  Schema.Literal("key", "sts"),
  Schema.TemplateLiteral(Schema.Literal("role:"), Schema.String)
)

export const RoleFixture = Schema.Struct({
  /** Role name; the ARN is built with the mock account's id. */
  name: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9._-]{1,64}$/)),
  /** The longest session the role grants (seconds). Defaults: Tencent 43200, Alibaba 3600. */
  maxSessionDurationSeconds: Schema.optional(Schema.Int.pipe(Schema.between(900, 43200))),
  trust: Schema.Struct({
    /** Signed callers that may `AssumeRole` it. */
    principals: Schema.optional(Schema.Array(Principal)),
    /** OIDC providers (by name) whose tokens may assume it. */
    oidcProviders: Schema.optional(Schema.Array(Schema.String)),
    /** When given, the token's `sub` must be one of these (`*` at the end matches any rest). */
    subjects: Schema.optional(Schema.Array(Schema.String))
  })
})
export type RoleFixture = typeof RoleFixture.Type

export const OidcProviderFixture = Schema.Struct({
  /** Tencent: the ProviderId; Alibaba: the name in `acs:ram::<uid>:oidc-provider/<name>`. */
  name: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9._-]{1,128}$/)),
  /** The `aud` values (client ids) it accepts. */
  audiences: Schema.NonEmptyArray(Schema.String),
  /** The issuer URL tokens must carry; the mock's own issuer when omitted. */
  issuer: Schema.optional(Schema.String)
})
export type OidcProviderFixture = typeof OidcProviderFixture.Type

export const CloudIdentityFixtures = {
  roles: Schema.optional(Schema.Array(RoleFixture)),
  oidcProviders: Schema.optional(Schema.Array(OidcProviderFixture))
}

export interface CloudIdentities {
  readonly roles: ReadonlyArray<RoleFixture>
  readonly oidcProviders: ReadonlyArray<OidcProviderFixture>
}

const roles = (provider: string): ReadonlyArray<RoleFixture> => [
  // First: the role both the demo key and the OIDC provider may assume.
  {
    name: "kubecred-mock-role",
    trust: { principals: ["key", "sts", "role:kubecred-mock-role"], oidcProviders: [provider] }
  },
  { name: "kubecred-mock-oidc-only", trust: { oidcProviders: [provider] } },
  { name: "kubecred-mock-key-only", trust: { principals: ["key"] } },
  {
    name: "kubecred-mock-ci",
    maxSessionDurationSeconds: 3600,
    trust: { oidcProviders: [provider], subjects: ["system:serviceaccount:ci:*"] }
  }
]

/** The built-in identities: TKE pod identity (`sts.cloud.tencent.com`) and ACK RRSA (`sts.aliyuncs.com`). */
export const defaults: { readonly tencent: CloudIdentities; readonly alibaba: CloudIdentities } = {
  tencent: {
    roles: roles("kubecred-mock-tke"),
    oidcProviders: [{ name: "kubecred-mock-tke", audiences: ["sts.cloud.tencent.com"] }]
  },
  alibaba: {
    roles: roles("kubecred-mock-rrsa"),
    oidcProviders: [{ name: "kubecred-mock-rrsa", audiences: ["sts.aliyuncs.com"] }]
  }
}
