import { Context, Effect, Layer } from "effect"
import { ControlState } from "./controlState.js"
import type { Identity } from "./credentials.js"
import { type KeyedCertificate, Pki } from "./pki.js"

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

const addYears = (ms: number, years: number): Date => {
  const date = new Date(ms)
  date.setUTCFullYear(date.getUTCFullYear() + years)
  return date
}

/** The clouds' client-certificate policies: TKE 20 years, made once; ACK 3 years (rotated near expiry) or temporary. */
export interface CertificateIssuerService {
  readonly tencent: (clusterId: string, identity: Identity) => Effect.Effect<KeyedCertificate>
  readonly alibaba: (
    clusterId: string,
    identity: Identity,
    temporaryMinutes: number | undefined
  ) => Effect.Effect<KeyedCertificate>
}

export class CertificateIssuer extends Context.Tag("@kubecred/mock-cloud/internal/CertificateIssuer")<
  CertificateIssuer,
  CertificateIssuerService
>() {}

export const make = Effect.gen(function* () {
  const pki = yield* Pki
  const control = yield* ControlState
  const issued = new Map<string, KeyedCertificate>()

  const tencent = (clusterId: string, identity: Identity) =>
    Effect.gen(function* () {
      const key = `tencent/${clusterId}/${identity.accountId}`
      const found = issued.get(key)
      if (found) return found
      const now = yield* control.certificateNow
      const cert = yield* pki.issueClient({
        provider: "tencent",
        clusterId,
        commonName: identity.accountId,
        notBefore: new Date(now - 5 * MINUTE),
        notAfter: addYears(now, 20)
      })
      issued.set(key, cert)
      return cert
    })

  const alibaba = (clusterId: string, identity: Identity, temporaryMinutes: number | undefined) =>
    Effect.gen(function* () {
      const now = yield* control.certificateNow
      const base = { provider: "alibaba" as const, clusterId, commonName: identity.accountId }
      if (temporaryMinutes !== undefined) {
        const start = Math.floor(now / 1000) * 1000
        return yield* pki.issueClient({
          ...base,
          notBefore: new Date(start - 5 * MINUTE),
          notAfter: new Date(start + temporaryMinutes * MINUTE)
        })
      }
      const key = `alibaba/${clusterId}/${identity.accountId}`
      const found = issued.get(key)
      if (found && found.notAfter.getTime() - now > 180 * DAY) return found
      const cert = yield* pki.issueClient({
        ...base,
        notBefore: new Date(now - 5 * MINUTE),
        notAfter: addYears(now, 3)
      })
      issued.set(key, cert)
      return cert
    })

  return { tencent, alibaba } satisfies CertificateIssuerService
})

export const layer: Layer.Layer<CertificateIssuer, never, Pki | ControlState> = Layer.effect(CertificateIssuer, make)
