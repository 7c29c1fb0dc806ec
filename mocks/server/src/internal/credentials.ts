import { Context, Effect, Layer } from "effect"
import { alnum, digits, token } from "./ids.js"

/** One calling identity: keys, an optional STS token, and the account id its certificates are issued to. */
export interface Identity {
  readonly keyId: string
  readonly secret: string
  readonly token?: string
  /** TKE sub-account UIN or ACK RAM UID: the client certificate's CN. */
  readonly accountId: string
  /** Who this is to a trust policy: `key`, `sts`, or `role:<name>` for a session the mock STS issued. */
  readonly principal?: string
  /** When a session the mock STS issued stops working (ms on the mock's clock). */
  readonly expiresAt?: number
}

export interface CredentialsService {
  readonly tencent: { readonly longLived: Identity; readonly sts: Identity }
  readonly alibaba: { readonly longLived: Identity; readonly sts: Identity }
  readonly findTencent: (secretId: string) => Identity | undefined
  readonly findAlibaba: (accessKeyId: string) => Identity | undefined
  /** Makes a session the mock STS issued known to the APIs (again: replaces it, e.g. to expire it). */
  readonly register: (provider: "tencent" | "alibaba", identity: Identity) => void
  /** Sessions the mock STS issued, with their cloud (for expiring them from the control endpoint). */
  readonly sessions: () => ReadonlyArray<{ readonly provider: "tencent" | "alibaba"; readonly identity: Identity }>
}

export class Credentials extends Context.Tag("@kubecred/mock-cloud/internal/Credentials")<
  Credentials,
  CredentialsService
>() {}

/** Random per start: a long-lived key pair and an STS triple per cloud. */
export const make: Effect.Effect<CredentialsService> = Effect.sync(() => {
  const tencent = {
    longLived: { keyId: `AKID${alnum(32)}`, secret: alnum(32), accountId: digits("1000", 12), principal: "key" },
    sts: {
      keyId: `AKID${alnum(32)}`,
      secret: alnum(32),
      token: token(96),
      accountId: digits("1000", 12),
      principal: "sts"
    }
  }
  const alibaba = {
    longLived: { keyId: `LTAI${alnum(20)}`, secret: alnum(30), accountId: digits("2", 16), principal: "key" },
    sts: {
      keyId: `STS.${alnum(24)}`,
      secret: alnum(40),
      token: `CAIS${token(180)}`,
      accountId: digits("3", 16),
      principal: "sts"
    }
  }
  const known = {
    tencent: new Map<string, Identity>([tencent.longLived, tencent.sts].map((identity) => [identity.keyId, identity])),
    alibaba: new Map<string, Identity>([alibaba.longLived, alibaba.sts].map((identity) => [identity.keyId, identity]))
  }
  const issued = new Map<string, { provider: "tencent" | "alibaba"; identity: Identity }>()
  return {
    tencent,
    alibaba,
    findTencent: (keyId) => known.tencent.get(keyId),
    findAlibaba: (keyId) => known.alibaba.get(keyId),
    register: (provider, identity) => {
      known[provider].set(identity.keyId, identity)
      issued.set(`${provider}/${identity.keyId}`, { provider, identity })
    },
    sessions: () => [...issued.values()]
  }
})

export const layer: Layer.Layer<Credentials> = Layer.effect(Credentials, make)
