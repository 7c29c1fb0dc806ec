/**
 * The identity side of both mock STSs: each cloud's account, its roles with their trust policies, its OIDC
 * providers, and the sessions issued (registered with Credentials so the APIs accept them until they expire).
 */
import { Context, Effect } from "effect"
import type { CloudIdentities } from "../StsFixtures.js"
import { Credentials, type Identity } from "./credentials.js"
import { alnum, digits, token } from "./ids.js"
import type { Provider } from "./provider.js"

export interface StsRole {
  readonly name: string
  readonly arn: string
  readonly roleId: string
  readonly maxSessionDurationSeconds: number
  readonly principals: ReadonlyArray<string>
  readonly oidcProviders: ReadonlyArray<string>
  readonly subjects: ReadonlyArray<string> | undefined
}

export interface StsOidcProvider {
  readonly name: string
  /** Tencent: the ProviderId; Alibaba: the provider's ARN. */
  readonly id: string
  readonly issuer: string
  readonly audiences: ReadonlyArray<string>
}

export interface Session {
  readonly identity: Identity
  readonly expiresAt: number
}

export interface StsDirectoryService {
  readonly account: Record<Provider, string>
  readonly roles: (provider: Provider) => ReadonlyArray<StsRole>
  readonly oidcProviders: (provider: Provider) => ReadonlyArray<StsOidcProvider>
  /** The role an ARN names (Tencent: `roleName/<name>` or `role/<id>`; Alibaba: `role/<name>`, any case). */
  readonly findRole: (provider: Provider, arn: string) => StsRole | undefined
  readonly findOidcProvider: (provider: Provider, id: string) => StsOidcProvider | undefined
  readonly trustsPrincipal: (role: StsRole, principal: string | undefined) => boolean
  readonly trustsToken: (role: StsRole, oidcProvider: StsOidcProvider, subject: string) => boolean
  /** A new session of the role, valid `durationSeconds` (or the lifetime override) from `nowMs`. */
  readonly issue: (provider: Provider, role: StsRole, durationSeconds: number, nowMs: number) => Session
  /** Sessions issued from now on live this long whatever they asked for (undefined: as asked). */
  readonly setLifetime: (seconds: number | undefined) => void
  /** Ends issued sessions now (all, or the one with this key id); returns how many. */
  readonly expire: (nowMs: number, keyId?: string) => number
}

export class StsDirectory extends Context.Tag("@kubecred/mock-cloud/internal/StsDirectory")<
  StsDirectory,
  StsDirectoryService
>() {}

const DEFAULT_MAX: Record<Provider, number> = { tencent: 43200, alibaba: 3600 }

const matches = (pattern: string, value: string) =>
  pattern.endsWith("*") ? value.startsWith(pattern.slice(0, -1)) : pattern === value

export const make = (
  identities: Record<Provider, CloudIdentities>,
  issuer: string
): Effect.Effect<StsDirectoryService, never, Credentials> =>
  Effect.gen(function* () {
    const credentials = yield* Credentials
    const account: Record<Provider, string> = { tencent: digits("1000", 12), alibaba: digits("1", 16) }
    const arnOf = (provider: Provider, name: string) =>
      provider === "tencent"
        ? `qcs::cam::uin/${account.tencent}:roleName/${name}`
        : `acs:ram::${account.alibaba}:role/${name.toLowerCase()}`
    const roles: Record<Provider, ReadonlyArray<StsRole>> = {
      tencent: [],
      alibaba: []
    }
    const providers: Record<Provider, ReadonlyArray<StsOidcProvider>> = { tencent: [], alibaba: [] }
    for (const provider of ["tencent", "alibaba"] as const) {
      roles[provider] = identities[provider].roles.map((role) => ({
        name: role.name,
        arn: arnOf(provider, role.name),
        roleId: provider === "tencent" ? digits("46", 19) : digits("3", 18),
        maxSessionDurationSeconds: role.maxSessionDurationSeconds ?? DEFAULT_MAX[provider],
        principals: role.trust.principals ?? [],
        oidcProviders: role.trust.oidcProviders ?? [],
        subjects: role.trust.subjects
      }))
      providers[provider] = identities[provider].oidcProviders.map((p) => ({
        name: p.name,
        id: provider === "tencent" ? p.name : `acs:ram::${account.alibaba}:oidc-provider/${p.name}`,
        issuer: p.issuer ?? issuer,
        audiences: p.audiences
      }))
    }
    let lifetime: number | undefined

    const findRole = (provider: Provider, arn: string) => {
      if (provider === "tencent") {
        const match = /^qcs::cam::uin\/(\d+):(roleName|role)\/(.+)$/.exec(arn)
        if (!match || match[1] !== account.tencent) return undefined
        return roles.tencent.find((r) => (match[2] === "role" ? r.roleId === match[3] : r.name === match[3]))
      }
      const lower = arn.toLowerCase()
      return roles.alibaba.find((r) => r.arn === lower)
    }

    const newIdentity = (provider: Provider, role: StsRole, expiresAt: number): Identity =>
      provider === "tencent"
        ? {
            keyId: `AKID${alnum(40)}`,
            secret: alnum(44),
            token: token(200),
            accountId: role.roleId,
            principal: `role:${role.name}`,
            expiresAt
          }
        : {
            keyId: `STS.NT${alnum(26)}`,
            secret: alnum(44),
            token: `CAIS${token(300)}`,
            accountId: role.roleId,
            principal: `role:${role.name}`,
            expiresAt
          }

    const service: StsDirectoryService = {
      account,
      roles: (provider) => roles[provider],
      oidcProviders: (provider) => providers[provider],
      findRole,
      findOidcProvider: (provider, id) =>
        providers[provider].find((p) =>
          provider === "tencent" ? p.id === id : p.id === id.toLowerCase() || p.id === id
        ),
      trustsPrincipal: (role, principal) => principal !== undefined && role.principals.includes(principal),
      trustsToken: (role, oidcProvider, subject) =>
        role.oidcProviders.includes(oidcProvider.name) &&
        (role.subjects === undefined || role.subjects.some((pattern) => matches(pattern, subject))),
      issue: (provider, role, durationSeconds, nowMs) => {
        const expiresAt = Math.floor(nowMs / 1000) * 1000 + (lifetime ?? durationSeconds) * 1000
        const identity = newIdentity(provider, role, expiresAt)
        credentials.register(provider, identity)
        return { identity, expiresAt }
      },
      setLifetime: (seconds) => {
        lifetime = seconds
      },
      expire: (nowMs, keyId) => {
        let count = 0
        for (const { provider, identity } of credentials.sessions()) {
          if (keyId !== undefined && identity.keyId !== keyId) continue
          if (identity.expiresAt !== undefined && identity.expiresAt <= nowMs) continue
          credentials.register(provider, { ...identity, expiresAt: nowMs })
          count++
        }
        return count
      }
    }
    return service
  })
