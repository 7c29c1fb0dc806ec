/**
 * The OIDC issuer (discovery, JWKS, minted RS256 tokens, verified here with jose against the published keys) and
 * the cloud port speaking HTTPS with the mock's own CA beside plain HTTP.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Jose from "jose"
import { X509Certificate } from "node:crypto"
import { readFileSync } from "node:fs"
import * as https from "node:https"
import * as tls from "node:tls"
import { layer, MockCloudServer, make } from "../src/index.js"

const getJson = (url: string, ca: string) =>
  Effect.async<{ status: number; body: any }, Error>((resume) => {
    https
      .get(url, { ca }, (response) => {
        let text = ""
        response.on("data", (chunk) => (text += chunk))
        response.on("end", () => resume(Effect.succeed({ status: response.statusCode ?? 0, body: JSON.parse(text) })))
      })
      .on("error", (error) => resume(Effect.fail(error)))
  })

const mint = (url: string, body: unknown) =>
  Effect.promise(async () => {
    const response = await fetch(url, { method: "POST", body: JSON.stringify(body) })
    return { status: response.status, body: (await response.json()) as any }
  })

const peerCertificate = (url: string, ca: string | undefined) =>
  Effect.async<X509Certificate, Error>((resume) => {
    const { hostname, port } = new URL(url)
    const socket = tls.connect({ host: hostname, port: Number(port), ...(ca ? { ca } : {}) }, () => {
      const cert = socket.getPeerX509Certificate()!
      socket.end()
      resume(Effect.succeed(cert))
    })
    socket.on("error", (error) => resume(Effect.fail(error)))
  })

describe("OIDC issuer and HTTPS", () => {
  it.layer(layer())((it) => {
    it.effect("discovery and JWKS over HTTPS; a minted token verifies against the published key", () =>
      Effect.gen(function* () {
        const cloud = yield* MockCloudServer
        const ca = readFileSync(cloud.caFile, "utf8")
        expect(cloud.oidc.issuer).toBe(`${cloud.https}/oidc`)
        const discovery = yield* getJson(`${cloud.oidc.issuer}/.well-known/openid-configuration`, ca)
        expect(discovery.status).toBe(200)
        expect(discovery.body.issuer).toBe(cloud.oidc.issuer)
        expect(discovery.body.id_token_signing_alg_values_supported).toEqual(["RS256"])
        const jwks = yield* getJson(discovery.body.jwks_uri, ca)
        expect(jwks.body.keys).toHaveLength(1)
        expect(jwks.body.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" })
        expect(jwks.body.keys[0].d).toBeUndefined()

        const minted = yield* mint(cloud.oidc.tokenEndpoint, { audience: "sts.aliyuncs.com", subject: "pod:a" })
        expect(minted.status).toBe(200)
        const { payload, protectedHeader } = yield* Effect.promise(() =>
          Jose.jwtVerify(minted.body.token, Jose.createLocalJWKSet(jwks.body), {
            issuer: cloud.oidc.issuer,
            audience: "sts.aliyuncs.com"
          })
        )
        expect(protectedHeader).toMatchObject({ alg: "RS256", kid: jwks.body.keys[0].kid })
        expect(payload.sub).toBe("pod:a")
        expect(payload.exp! - payload.iat!).toBe(3600)
      })
    )

    it.effect("the mint refuses bodies without an audience or a subject", () =>
      Effect.gen(function* () {
        const cloud = yield* MockCloudServer
        for (const body of [
          { subject: "a" },
          { audience: "a" },
          { audience: "", subject: "a" },
          { audience: "a", subject: "b", x: 1 }
        ]) {
          expect((yield* mint(cloud.oidc.tokenEndpoint, body)).status).toBe(400)
        }
      })
    )

    it.effect("one port, two protocols: TLS with a certificate for 127.0.0.1 chained to caFile, and plain HTTP", () =>
      Effect.gen(function* () {
        const cloud = yield* MockCloudServer
        const ca = readFileSync(cloud.caFile, "utf8")
        expect(new URL(cloud.https).port).toBe(new URL(cloud.control).port)
        const cert = yield* peerCertificate(cloud.https, ca)
        expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1")
        expect(cert.checkIssued(new X509Certificate(ca))).toBe(true)
        // Without the CA the handshake is refused: the certificate really is the mock's own.
        const refused = yield* Effect.flip(peerCertificate(cloud.https, undefined))
        expect(refused.message).toMatch(/certificate/i)
        const overTls = yield* getJson(`${cloud.https}/ready`, ca)
        const plain = yield* Effect.promise(() => fetch(`${cloud.control}/ready`).then((r) => r.json()))
        expect(overTls.body).toEqual(plain)
      })
    )
  })

  it.scoped("stop() ends open TLS connections too", () =>
    Effect.gen(function* () {
      const cloud = yield* make()
      const ca = readFileSync(cloud.caFile, "utf8")
      const { hostname, port } = new URL(cloud.https)
      const socket = yield* Effect.async<tls.TLSSocket, Error>((resume) => {
        const connection = tls.connect({ host: hostname, port: Number(port), ca }, () =>
          resume(Effect.succeed(connection))
        )
        connection.on("error", (error) => resume(Effect.fail(error)))
      })
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()))
      // The connection stays open (no request, no end) until the mock stops.
      yield* Effect.promise(() => cloud.stop())
      yield* Effect.promise(() => closed)
      expect(socket.destroyed).toBe(true)
    })
  )
})
