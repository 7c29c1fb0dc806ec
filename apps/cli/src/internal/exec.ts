/**
 * `add --exec` and `credential`: the exec stanza kubecred writes, the client certificate inside a fetched
 * kubeconfig, and the cache entry made from it.
 */
import { X509Certificate } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import type { FetchedKubeconfig } from "@kubecred/core/FetchedKubeconfig"
import type { FetchRequest } from "@kubecred/core/FetchRequest"
import { MalformedResponse } from "@kubecred/core/KubecredError"
import { kubeconfigAction } from "@kubecred/core/Provider"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Cache from "./credentialCache.js"
import { EXEC_API_V1 } from "./execInfo.js"
import { endpointEnv, MOCK_READY_ENV } from "./identity.js"
import { Providers } from "./Providers.js"

export interface ExecStanza {
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly apiVersion: string
  readonly env?: ReadonlyArray<{ readonly name: string; readonly value: string }>
}

/** How to run this very kubecred again: the bundle itself when executable, else node and its path. */
export const selfInvocation = (
  argv1: string | undefined = process.argv[1],
  execPath: string = process.execPath
): { readonly command: string; readonly args: ReadonlyArray<string> } => {
  if (argv1 === undefined || argv1 === "") return { command: "kubecred", args: [] }
  const absolute = path.resolve(argv1)
  try {
    fs.accessSync(absolute, fs.constants.X_OK)
    if (fs.readFileSync(absolute, { encoding: "utf8", flag: "r" }).startsWith("#!")) {
      return { command: absolute, args: [] }
    }
  } catch {
    // not executable: run it with node
  }
  return { command: execPath, args: [absolute] }
}

/** Minutes as the duration syntax --ttl reads: 120 -> `2h`, 90 -> `1h30m`, 4320 -> `3d`. */
export const durationText = (minutes: number): string => {
  const d = Math.floor(minutes / 1440)
  const h = Math.floor((minutes % 1440) / 60)
  const m = minutes % 60
  return `${d ? `${d}d` : ""}${h ? `${h}h` : ""}${m || minutes === 0 ? `${m}m` : ""}`
}

const optionArg = (flag: string, value: Option.Option<string> | undefined): ReadonlyArray<string> =>
  value !== undefined && Option.isSome(value) ? [flag, value.value] : []

/** The exec stanza: `kubecred credential <provider> <id> --region R [--private] [--ttl D] [--profile P] [--role-arn A]`. */
export const execSpec = (request: FetchRequest, ttl: Option.Option<number>) =>
  Effect.gen(function* () {
    const providers = yield* Providers
    const self = selfInvocation()
    const args = [
      ...self.args,
      "credential",
      request._tag,
      request.clusterId,
      "--region",
      request.region,
      ...(request.endpoint === "private" ? ["--private"] : []),
      ...(Option.isSome(ttl) ? ["--ttl", durationText(ttl.value)] : []),
      ...(Option.isSome(providers.flags.profile) ? ["--profile", providers.flags.profile.value] : []),
      ...(providers.flags.transport === "sdk" ? ["--transport", "sdk"] : []),
      ...optionArg("--role-arn", providers.flags.roleArn),
      ...optionArg("--role-session-name", providers.flags.roleSessionName)
    ]
    const env: Array<{ name: string; value: string }> = []
    const override = providers.endpointOverride(request._tag)
    if (override !== undefined) env.push({ name: endpointEnv[request._tag], value: override })
    if (Option.isSome(providers.mockReadyPath)) {
      env.push({ name: MOCK_READY_ENV, value: path.resolve(providers.mockReadyPath.value) })
    }
    const stanza: ExecStanza = {
      command: self.command,
      args,
      apiVersion: EXEC_API_V1,
      ...(env.length > 0 ? { env } : {})
    }
    return stanza
  })

const fromBase64 = (data: string) => Buffer.from(data, "base64").toString("utf8")

export interface ClientCredential {
  readonly clientCertificateData: string
  readonly clientKeyData: string
  readonly expiresAt: number
}

/** The client certificate and key (PEM) of a fetched kubeconfig, and when they stop working. */
export const clientCredential = (
  request: FetchRequest,
  fetched: FetchedKubeconfig
): Effect.Effect<ClientCredential, MalformedResponse> =>
  Effect.gen(function* () {
    const document = fetched.document
    const contexts = document.contexts ?? []
    const current = contexts.find((c) => c.name === document["current-context"]) ?? contexts[0]
    const users = document.users ?? []
    const named = users.find((u) => u.name === current?.context.user)
    const user = (named ?? users.find((u) => u.user["client-certificate-data"] !== undefined))?.user
    const cert = user?.["client-certificate-data"]
    const key = user?.["client-key-data"]
    if (cert === undefined || key === undefined) {
      return yield* new MalformedResponse({
        provider: request._tag,
        action: kubeconfigAction(request._tag),
        detail: "the kubeconfig has no client certificate and key, which `kubecred credential` needs"
      })
    }
    const clientCertificateData = fromBase64(cert)
    const clientKeyData = fromBase64(Redacted.value(key))
    const expiresAt = Option.match(fetched.expiresAt, {
      onSome: (at) => DateTime.toEpochMillis(at),
      onNone: () => {
        try {
          return new Date(new X509Certificate(clientCertificateData).validTo).getTime()
        } catch {
          return Date.now() + Cache.MAX_ADVERTISED_MS
        }
      }
    })
    return { clientCertificateData, clientKeyData, expiresAt }
  })

/** The cache key of a request under the identity and endpoint in effect. */
export const cacheKeyOf = (request: FetchRequest) =>
  Effect.map(Providers, (providers) => {
    const identity = providers.identity(request._tag)
    const key: Cache.CacheKey = {
      provider: request._tag,
      region: request.region,
      clusterId: request.clusterId,
      endpointKind: request.endpoint,
      apiEndpoint: identity.apiEndpoint,
      identity: identity.identity
    }
    return { key, sources: identity.sources }
  })

/** Stores a fetched credential in the exec cache; a cache that cannot be written is not an error. */
export const storeCredential = (request: FetchRequest, credential: ClientCredential, now: number) =>
  Effect.gen(function* () {
    const providers = yield* Providers
    if (providers.flags.mock) return
    const { key, sources } = yield* cacheKeyOf(request)
    const file = Cache.cachePath(key, Cache.cacheDirectory())
    if (file === undefined) return
    yield* Effect.try(() =>
      Cache.write(file, {
        version: 1,
        provider: key.provider,
        region: key.region,
        clusterId: key.clusterId,
        endpointKind: key.endpointKind,
        identityHash: Cache.identityHash(key),
        clientCertificateData: credential.clientCertificateData,
        clientKeyData: credential.clientKeyData,
        fetchedAt: now,
        expiresAt: credential.expiresAt,
        sources
      })
    ).pipe(
      // Not an error (the credential is served anyway), but a cache that is not ours is said, once.
      Effect.catchAll((error) =>
        error.error instanceof Cache.CacheRefused
          ? Effect.sync(() => process.stderr.write(`kubecred: warning: ${(error.error as Error).message}\n`))
          : Effect.void
      )
    )
  })

/** After `add --exec`: the certificate just fetched serves kubectl's first call. */
export const primeCache = (request: FetchRequest, fetched: FetchedKubeconfig) =>
  clientCredential(request, fetched).pipe(
    Effect.flatMap((credential) => storeCredential(request, credential, Date.now())),
    Effect.catchAll(() => Effect.void)
  )
