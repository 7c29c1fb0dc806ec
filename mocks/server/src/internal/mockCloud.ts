/** Wires the services, the two servers and the control surface into one running mock cloud. */
import { NodeHttpServer } from "@effect/platform-node"
import { Clock, Context, Effect, ExecutionStrategy, Exit, Runtime, Scope } from "effect"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import * as http from "node:http"
import * as https from "node:https"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Fixtures from "../Fixtures.js"
import * as StsFixtures from "../StsFixtures.js"
import * as Apiserver from "./apiserver.js"
import * as CertificateIssuer from "./certificateIssuer.js"
import * as CloudApp from "./cloudApp.js"
import * as IdentityApp from "./identityApp.js"
import * as ClusterStore from "./clusterStore.js"
import * as ControlState from "./controlState.js"
import * as MetadataApi from "./metadataApi.js"
import * as Credentials from "./credentials.js"
import { Endpoints } from "./endpoints.js"
import * as NonceCache from "./nonceCache.js"
import * as OidcIssuer from "./oidcIssuer.js"
import * as Pki from "./pki.js"
import * as RateLimiter from "./rateLimiter.js"
import * as StsDirectory from "./stsDirectory.js"
import { speakTls } from "./tlsSniff.js"
import type { MockCloud, MockCloudOptions, ReadyInfo } from "./types.js"

const HOST = "127.0.0.1"

const portOf = (address: { _tag: string; port?: number }) => (address._tag === "TcpAddress" ? address.port! : 0)

const loadFixtures = (fixtures: MockCloudOptions["fixtures"]) =>
  fixtures === undefined
    ? Effect.succeed(Fixtures.defaults)
    : typeof fixtures === "string"
      ? Fixtures.load(fixtures)
      : Fixtures.validate(fixtures)

/** Starts the mock in the current scope; `stop()` ends it early. */
export const make = (options: MockCloudOptions = {}) =>
  Effect.gen(function* () {
    const parent = yield* Effect.scope
    const scope = yield* Scope.fork(parent, ExecutionStrategy.sequential)
    const fixtures = yield* loadFixtures(options.fixtures)

    const control = yield* ControlState.make(options)
    const pki = yield* Pki.make
    const credentials = yield* Credentials.make
    const store = yield* ClusterStore.make(fixtures, options.generate)
    const limiter = yield* RateLimiter.make
    const nonces = yield* NonceCache.make
    const issuer = yield* CertificateIssuer.make.pipe(
      Effect.provideService(Pki.Pki, pki),
      Effect.provideService(ControlState.ControlState, control)
    )

    // The kube-apiserver stub: one HTTPS port, a certificate per cluster chosen by SNI.
    const runtime = yield* Effect.runtime<never>()
    const fallback = yield* pki.serverCertificate("tencent", "apiserver")
    const tlsServer = https.createServer({
      ...fallback,
      requestCert: true,
      rejectUnauthorized: false,
      SNICallback: (name, done) => {
        const target = Pki.parseServerName(name)
        const known =
          target !== undefined &&
          (target.provider === "tencent" ? store.findTencent(target.clusterId) : store.findAlibaba(target.clusterId))
        if (!target || !known) return done(null, undefined)
        Runtime.runPromise(runtime)(pki.serverContext(target.provider, target.clusterId)).then(
          (context) => done(null, context),
          (error) => done(error as Error, undefined)
        )
      }
    })
    const apiserverHttp = yield* NodeHttpServer.make(() => tlsServer as unknown as http.Server, {
      port: 0,
      host: HOST
    }).pipe(Scope.extend(scope))
    yield* Scope.addFinalizer(
      scope,
      Effect.sync(() => tlsServer.closeAllConnections())
    )

    const cloudServer = http.createServer({ keepAliveTimeout: 30_000 })
    // The same port speaks HTTPS with the mock's own CA (the official STS providers only call https).
    const apiTls = yield* pki.apiServer
    const destroyConnections = speakTls(cloudServer, { key: apiTls.key, cert: apiTls.cert })
    const tlsDir = yield* Effect.promise(() => mkdtemp(join(tmpdir(), "kubecred-mock-")))
    yield* Scope.addFinalizer(
      scope,
      Effect.promise(() => rm(tlsDir, { recursive: true, force: true }))
    )
    const caFile = join(tlsDir, "ca.pem")
    yield* Effect.promise(() => writeFile(caFile, apiTls.ca, { mode: 0o644 }))
    const cloudHttp = yield* NodeHttpServer.make(() => cloudServer, { port: options.port ?? 0, host: HOST }).pipe(
      Scope.extend(scope)
    )
    yield* Scope.addFinalizer(
      scope,
      Effect.sync(() => {
        cloudServer.closeAllConnections()
        destroyConnections()
      })
    )

    const endpoints = {
      cloud: `http://${HOST}:${portOf(cloudHttp.address)}`,
      apiserver: `https://${HOST}:${portOf(apiserverHttp.address)}`
    }
    const secureCloud = `https://${HOST}:${portOf(cloudHttp.address)}`
    const oidc = yield* OidcIssuer.make(`${secureCloud}/oidc`)
    const directory = yield* StsDirectory.make(
      {
        tencent: {
          roles: fixtures.tencent?.roles ?? StsFixtures.defaults.tencent.roles,
          oidcProviders: fixtures.tencent?.oidcProviders ?? StsFixtures.defaults.tencent.oidcProviders
        },
        alibaba: {
          roles: fixtures.alibaba?.roles ?? StsFixtures.defaults.alibaba.roles,
          oidcProviders: fixtures.alibaba?.oidcProviders ?? StsFixtures.defaults.alibaba.oidcProviders
        }
      },
      oidc.issuer
    ).pipe(Effect.provideService(Credentials.Credentials, credentials))
    const readyRoles = (provider: "tencent" | "alibaba") =>
      directory.roles(provider).map((role) => ({
        name: role.name,
        arn: role.arn,
        maxSessionDurationSeconds: role.maxSessionDurationSeconds,
        principals: role.principals,
        oidcProviders: role.oidcProviders,
        ...(role.subjects === undefined ? {} : { subjects: role.subjects })
      }))
    const readyProviders = (provider: "tencent" | "alibaba") =>
      directory.oidcProviders(provider).map(({ name, id, issuer, audiences }) => ({ name, id, issuer, audiences }))
    const ready: ReadyInfo = {
      tencent: {
        endpoint: endpoints.cloud,
        secretId: credentials.tencent.longLived.keyId,
        secretKey: credentials.tencent.longLived.secret,
        sts: {
          secretId: credentials.tencent.sts.keyId,
          secretKey: credentials.tencent.sts.secret,
          token: credentials.tencent.sts.token!
        },
        clusters: store.tencent.map((c) => ({ region: c.region, clusterId: c.clusterId, status: c.status })),
        stsEndpoint: secureCloud,
        roles: readyRoles("tencent"),
        oidcProviders: readyProviders("tencent")
      },
      alibaba: {
        endpoint: endpoints.cloud,
        accessKeyId: credentials.alibaba.longLived.keyId,
        accessKeySecret: credentials.alibaba.longLived.secret,
        sts: {
          accessKeyId: credentials.alibaba.sts.keyId,
          accessKeySecret: credentials.alibaba.sts.secret,
          securityToken: credentials.alibaba.sts.token!
        },
        clusters: store.alibaba.map((c) => ({ region: c.region, clusterId: c.clusterId, state: c.state })),
        stsEndpoint: secureCloud,
        roles: readyRoles("alibaba"),
        oidcProviders: readyProviders("alibaba"),
        credentialsUri: `${endpoints.cloud}${IdentityApp.CREDENTIALS_URI_PREFIX}${directory.roles("alibaba")[0]?.name ?? ""}`
      },
      apiserver: endpoints.apiserver,
      control: endpoints.cloud,
      metadata: { endpoint: endpoints.cloud, ecsRole: MetadataApi.ECS_ROLE, cvmRole: MetadataApi.CVM_ROLE },
      oidc: { issuer: oidc.issuer, tokenEndpoint: `${endpoints.cloud}${IdentityApp.TOKEN_PATH}` },
      https: secureCloud,
      caFile
    }

    const context = Context.make(ControlState.ControlState, control).pipe(
      Context.add(Pki.Pki, pki),
      Context.add(Credentials.Credentials, credentials),
      Context.add(ClusterStore.ClusterStore, store),
      Context.add(RateLimiter.RateLimiter, limiter),
      Context.add(NonceCache.NonceCache, nonces),
      Context.add(CertificateIssuer.CertificateIssuer, issuer),
      Context.add(Endpoints, endpoints),
      Context.add(OidcIssuer.OidcIssuer, oidc),
      Context.add(StsDirectory.StsDirectory, directory)
    )
    // A server keeps wall-clock time even when started from a test runtime with a TestClock.
    const live = Clock.make()
    yield* cloudHttp
      .serve(CloudApp.make(() => ready).pipe(Effect.provide(context), Effect.withClock(live)))
      .pipe(Scope.extend(scope))
    yield* apiserverHttp
      .serve(Apiserver.app.pipe(Effect.provide(context), Effect.withClock(live)))
      .pipe(Scope.extend(scope))

    let stopping: Promise<void> | undefined
    const cloud: MockCloud = {
      ...ready,
      stop: () => {
        stopping ??= Effect.runPromise(Scope.close(scope, Exit.void))
        return stopping
      },
      setFaults: control.setFaults,
      setRateLimit: control.setRateLimit,
      setCertificateClock: control.setCertificateClock,
      setClock: control.setClock,
      mintOidcToken: (request) => Effect.runPromise(Effect.flatMap(control.now, (now) => oidc.mint(request, now))),
      setStsLifetime: directory.setLifetime,
      expireStsSessions: (accessKeyId) =>
        Effect.runPromise(Effect.map(control.now, (now) => directory.expire(now, accessKeyId))),
      stats: control.stats
    }
    return cloud
  })

/** The ready-file object alone (no functions). */
export const readyInfo = (cloud: ReadyInfo): ReadyInfo => ({
  tencent: cloud.tencent,
  alibaba: cloud.alibaba,
  apiserver: cloud.apiserver,
  control: cloud.control,
  metadata: cloud.metadata,
  oidc: cloud.oidc,
  https: cloud.https,
  caFile: cloud.caFile
})
