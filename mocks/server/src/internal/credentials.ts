import { Context, Effect, Layer } from "effect"
import { alnum, digits, token } from "./ids.js"

/** One calling identity: keys, an optional STS token, and the account id its certificates are issued to. */
export interface Identity {
  readonly keyId: string
  readonly secret: string
  readonly token?: string
  /** TKE sub-account UIN or ACK RAM UID: the client certificate's CN. */
  readonly accountId: string
}

export interface CredentialsService {
  readonly tencent: { readonly longLived: Identity; readonly sts: Identity }
  readonly alibaba: { readonly longLived: Identity; readonly sts: Identity }
  readonly findTencent: (secretId: string) => Identity | undefined
  readonly findAlibaba: (accessKeyId: string) => Identity | undefined
}

export class Credentials extends Context.Tag("@kubecred/mock-cloud/internal/Credentials")<
  Credentials,
  CredentialsService
>() {}

/** Random per start: a long-lived key pair and an STS triple per cloud. */
export const make: Effect.Effect<CredentialsService> = Effect.sync(() => {
  const tencent = {
    longLived: { keyId: `AKID${alnum(32)}`, secret: alnum(32), accountId: digits("1000", 12) },
    sts: { keyId: `AKID${alnum(32)}`, secret: alnum(32), token: token(96), accountId: digits("1000", 12) }
  }
  const alibaba = {
    longLived: { keyId: `LTAI${alnum(20)}`, secret: alnum(30), accountId: digits("2", 16) },
    sts: { keyId: `STS.${alnum(24)}`, secret: alnum(40), token: `CAIS${token(180)}`, accountId: digits("3", 16) }
  }
  const index = <A extends Identity>(identities: ReadonlyArray<A>) => {
    const byId = new Map(identities.map((identity) => [identity.keyId, identity]))
    return (keyId: string) => byId.get(keyId)
  }
  return {
    tencent,
    alibaba,
    findTencent: index([tencent.longLived, tencent.sts]),
    findAlibaba: index([alibaba.longLived, alibaba.sts])
  }
})

export const layer: Layer.Layer<Credentials> = Layer.effect(Credentials, make)
