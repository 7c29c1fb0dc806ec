import "reflect-metadata"
import * as x509 from "@peculiar/x509"
import { Context, Effect, Layer } from "effect"
import { KeyObject, X509Certificate, webcrypto } from "node:crypto"
import * as tls from "node:tls"
import type { Provider } from "./provider.js"

x509.cryptoProvider.set(webcrypto as never)

type CryptoKey = webcrypto.CryptoKey
type CryptoKeyPair = webcrypto.CryptoKeyPair

const EC = { name: "ECDSA", namedCurve: "P-256" } as const
const SIGNING = { name: "ECDSA", hash: "SHA-256" } as const
const DAY = 24 * 60 * 60 * 1000

/** A certificate with its private key, both PEM. */
export interface KeyedCertificate {
  readonly certPem: string
  readonly keyPem: string
  readonly notBefore: Date
  readonly notAfter: Date
}

export interface ClientCertificateRequest {
  readonly provider: Provider
  readonly clusterId: string
  readonly commonName: string
  readonly organization?: string
  readonly notBefore: Date
  readonly notAfter: Date
}

interface Authority {
  readonly cert: x509.X509Certificate
  readonly certPem: string
  readonly keys: CryptoKeyPair
  readonly nodeCert: X509Certificate
}

/** The DNS name the stub's certificate for one cluster carries; kubeconfigs set it as `tls-server-name`. */
export const serverName = (provider: Provider, clusterId: string): string => `${clusterId}.${provider}.kubecred.mock`

/** Parses a server name back to the cluster it names. */
export const parseServerName = (name: string): { provider: Provider; clusterId: string } | undefined => {
  const match = /^([a-z0-9-]+)\.(tencent|alibaba)\.kubecred\.mock$/.exec(name)
  return match ? { provider: match[2] as Provider, clusterId: match[1]! } : undefined
}

const serial = (): string => {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16))
  bytes[0] = bytes[0]! & 0x7f
  return Buffer.from(bytes).toString("hex")
}

const wholeSecond = (date: Date): Date => new Date(Math.floor(date.getTime() / 1000) * 1000)

const keyPem = (key: CryptoKey): string => KeyObject.from(key).export({ type: "pkcs8", format: "pem" }).toString()

const generateKeys = (): Promise<CryptoKeyPair> =>
  webcrypto.subtle.generateKey(EC, true, ["sign", "verify"]) as Promise<CryptoKeyPair>

const createAuthority = async (provider: Provider, clusterId: string): Promise<Authority> =>
  selfSignedAuthority(`CN=${clusterId}-ca, O=kubecred-mock-${provider}`)

const selfSignedAuthority = async (name: string): Promise<Authority> => {
  const keys = await generateKeys()
  const now = Date.now()
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name,
    notBefore: wholeSecond(new Date(now - 365 * DAY)),
    notAfter: wholeSecond(new Date(now + 30 * 365 * DAY)),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)
    ]
  })
  const certPem = cert.toString("pem")
  return { cert, certPem, keys, nodeCert: new X509Certificate(certPem) }
}

const issue = async (
  authority: Authority,
  subject: string,
  notBefore: Date,
  notAfter: Date,
  extensions: ReadonlyArray<x509.Extension>
): Promise<KeyedCertificate> => {
  const keys = await generateKeys()
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: authority.cert.subject,
    notBefore: wholeSecond(notBefore),
    notAfter: wholeSecond(notAfter),
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey,
    signingKey: authority.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      await x509.AuthorityKeyIdentifierExtension.create(authority.keys.publicKey),
      ...extensions
    ]
  })
  return {
    certPem: cert.toString("pem"),
    keyPem: keyPem(keys.privateKey),
    notBefore: wholeSecond(notBefore),
    notAfter: wholeSecond(notAfter)
  }
}

/** Per-cluster certificate authorities, the stub's server certificates and client certificates. */
export interface PkiService {
  /** PEM of the cluster's CA (created on first use). */
  readonly caPem: (provider: Provider, clusterId: string) => Effect.Effect<string>
  /** Key and certificate chain of the stub's server certificate for a cluster (chained to the cluster's CA). */
  readonly serverCertificate: (
    provider: Provider,
    clusterId: string
  ) => Effect.Effect<{ key: string; cert: string; ca: string }>
  /** A TLS context presenting a server certificate chained to the cluster's CA and trusting only that CA. */
  readonly serverContext: (provider: Provider, clusterId: string) => Effect.Effect<tls.SecureContext>
  readonly issueClient: (request: ClientCertificateRequest) => Effect.Effect<KeyedCertificate>
  /**
   * The cloud port's TLS identity: the mock's own CA (PEM, to trust) and a server certificate for 127.0.0.1,
   * ::1 and localhost chained to it.
   */
  readonly apiServer: Effect.Effect<{ key: string; cert: string; ca: string }>
  /** Whether a DER client certificate was issued by the cluster's CA and is valid at `now`. */
  readonly verifyClient: (provider: Provider, clusterId: string, der: Buffer, now: Date) => Effect.Effect<boolean>
}

export class Pki extends Context.Tag("@kubecred/mock-cloud/internal/Pki")<Pki, PkiService>() {}

export const make: Effect.Effect<PkiService> = Effect.sync(() => {
  const authorities = new Map<string, Promise<Authority>>()
  const servers = new Map<string, Promise<{ key: string; cert: string; ca: string }>>()
  const contexts = new Map<string, Promise<tls.SecureContext>>()

  const server = (provider: Provider, clusterId: string) => {
    const key = `${provider}/${clusterId}`
    let found = servers.get(key)
    if (!found) {
      found = (async () => {
        const ca = await authority(provider, clusterId)
        const now = Date.now()
        const name = serverName(provider, clusterId)
        const issued = await issue(ca, `CN=${name}`, new Date(now - DAY), new Date(now + 10 * 365 * DAY), [
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          new x509.SubjectAlternativeNameExtension([
            { type: "dns", value: name },
            { type: "ip", value: "127.0.0.1" }
          ])
        ])
        return { key: issued.keyPem, cert: `${issued.certPem}\n${ca.certPem}`, ca: ca.certPem }
      })()
      servers.set(key, found)
    }
    return found
  }

  const authority = (provider: Provider, clusterId: string): Promise<Authority> => {
    const key = `${provider}/${clusterId}`
    let found = authorities.get(key)
    if (!found) {
      found = createAuthority(provider, clusterId)
      authorities.set(key, found)
    }
    return found
  }

  const context = (provider: Provider, clusterId: string): Promise<tls.SecureContext> => {
    const key = `${provider}/${clusterId}`
    let found = contexts.get(key)
    if (!found) {
      found = server(provider, clusterId).then((identity) => tls.createSecureContext(identity))
      contexts.set(key, found)
    }
    return found
  }

  const apiServer = (async () => {
    const ca = await selfSignedAuthority("CN=kubecred-mock API CA, O=kubecred-mock")
    const now = Date.now()
    const issued = await issue(ca, "CN=kubecred-mock API", new Date(now - DAY), new Date(now + 10 * 365 * DAY), [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: "ip", value: "127.0.0.1" },
        { type: "ip", value: "::1" },
        { type: "dns", value: "localhost" }
      ])
    ])
    return { key: issued.keyPem, cert: `${issued.certPem}\n${ca.certPem}`, ca: ca.certPem }
  })()
  apiServer.catch(() => {})

  return {
    apiServer: Effect.promise(() => apiServer),
    caPem: (provider, clusterId) => Effect.promise(() => authority(provider, clusterId).then((a) => a.certPem)),
    serverCertificate: (provider, clusterId) => Effect.promise(() => server(provider, clusterId)),
    serverContext: (provider, clusterId) => Effect.promise(() => context(provider, clusterId)),
    issueClient: (request) =>
      Effect.promise(async () => {
        const ca = await authority(request.provider, request.clusterId)
        const subject =
          request.organization === undefined
            ? `CN=${request.commonName}`
            : `CN=${request.commonName}, O=${request.organization}`
        return issue(ca, subject, request.notBefore, request.notAfter, [
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])
        ])
      }),
    verifyClient: (provider, clusterId, der, now) =>
      Effect.promise(async () => {
        const ca = await authority(provider, clusterId)
        let cert: X509Certificate
        try {
          cert = new X509Certificate(der)
        } catch {
          return false
        }
        if (!cert.checkIssued(ca.nodeCert) || !cert.verify(ca.nodeCert.publicKey)) return false
        const from = Date.parse(cert.validFrom)
        const to = Date.parse(cert.validTo)
        return from <= now.getTime() && now.getTime() <= to
      })
  }
})

export const layer: Layer.Layer<Pki> = Layer.effect(Pki, make)
