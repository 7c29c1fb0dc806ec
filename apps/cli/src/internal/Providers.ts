/**
 * The providers, picked from the command's flags (Command.provideEffect, a scoped effect rather than a Layer:
 * a few hundred Effect operations less per start; the command's scope is closed by runCommand): each
 * provider's KubeconfigSource is built on first use only, so a command that needs one cloud never asks for
 * the other's credentials. Also owns the mock cloud when --mock / --mock-ready / KUBECRED_MOCK_READY say so.
 */
import * as KubecredError from "@kubecred/core/KubecredError"
import { KubeconfigSource } from "@kubecred/core/KubeconfigSource"
import type { ProviderName } from "@kubecred/core/Provider"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import { registerSecret } from "./errors.js"
import type { GlobalFlags } from "./globalFlags.js"
import type { RoleFlags } from "./roleFlags.js"
import { mockSts } from "./stsSettings.js"
import {
  endpointEnv,
  MOCK_READY_ENV,
  type MockReady,
  podIdentitySet,
  readMockReady,
  resolveIdentity
} from "./identity.js"

export interface Service {
  readonly flags: GlobalFlags & Partial<RoleFlags>
  /** The provider's source, built on first use. */
  readonly source: (provider: ProviderName) => Effect.Effect<KubeconfigSource["Type"], KubecredError.ProviderError>
  /** What the provider's credential chain picks, as `whoami` shows it (never the secret). */
  readonly credentials: (
    provider: ProviderName
  ) => Effect.Effect<
    PickedCredentials,
    | KubecredError.CredentialsMissing
    | KubecredError.AuthenticationFailed
    | KubecredError.AccessDenied
    | KubecredError.InvalidInput
  >
  /** The API endpoint override in effect for a provider, if any. */
  readonly endpointOverride: (provider: ProviderName) => string | undefined
  /** The mock cloud in use (in process or through its ready file). */
  readonly mock: Option.Option<MockReady>
  /** The ready file named by --mock-ready or KUBECRED_MOCK_READY. */
  readonly mockReadyPath: Option.Option<string>
  /** Endpoint and identity for the exec credential cache key. */
  readonly identity: (provider: ProviderName) => {
    readonly apiEndpoint: string
    readonly identity: string
    readonly sources: ReadonlyArray<readonly [string, number]>
  }
}

export interface PickedCredentials {
  readonly source: string
  readonly keyId: string
  readonly temporary: boolean
  readonly expiresAt: Date | undefined
}

export class Providers extends Context.Tag("kubecred/Providers")<Providers, Service>() {}

const invalid = (field: string, detail: string) => new KubecredError.InvalidInput({ field, detail })

const parseUrl = (field: string, text: string): Effect.Effect<string, KubecredError.InvalidInput> =>
  Effect.try({
    try: () => {
      const url = new URL(text)
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http(s)")
      return text
    },
    catch: () => invalid(field, `invalid URL ${JSON.stringify(text)}: expected http(s)://host[:port][/path]`)
  })

/**
 * The mock cloud in this process, for the life of the command (port 0, 127.0.0.1). Loaded on demand, through
 * its Promise API: the bundle keeps it in a separate file with its own copy of Effect.
 */
const startMock = Effect.acquireRelease(
  Effect.tryPromise({
    try: () => import("@kubecred/mock-cloud").then((module) => module.start({ port: 0 })),
    catch: (e) => invalid("mock", `cannot start the mock cloud: ${e instanceof Error ? e.message : String(e)}`)
  }),
  (mock) => Effect.promise(() => mock.stop())
)

export const make = (flags: GlobalFlags & Partial<RoleFlags>, env: NodeJS.ProcessEnv = process.env) =>
  Effect.gen(function* () {
    const scope = yield* Effect.scope
    const readyPath = Option.orElse(flags.mockReady, () =>
      Option.filter(Option.fromNullable(env[MOCK_READY_ENV]), (s) => s !== "")
    )
    let mock: Option.Option<MockReady> = Option.none()
    if (flags.mock) {
      const running = yield* startMock
      mock = Option.some({
        tencent: running.tencent,
        alibaba: running.alibaba,
        apiserver: running.apiserver,
        caFile: running.caFile
      })
    } else if (Option.isSome(readyPath)) {
      const ready = readMockReady(readyPath.value)
      if (ready === undefined) {
        return yield* invalid(
          "mock-ready",
          `${readyPath.value} is not a mock ready file (is \`kubecred mock --ready-file ${readyPath.value}\` running?)`
        )
      }
      mock = Option.some(ready)
    }
    if (Option.isSome(mock)) {
      registerSecret(mock.value.tencent.secretKey)
      registerSecret(mock.value.alibaba.accessKeySecret)
    }

    const endpointOverride = (provider: ProviderName): string | undefined => {
      if (Option.isSome(flags.apiEndpoint)) return flags.apiEndpoint.value
      const fromEnv = env[endpointEnv[provider]]
      if (fromEnv !== undefined && fromEnv !== "") return fromEnv
      return Option.isSome(mock) ? mock.value[provider].endpoint : undefined
    }

    const build = (provider: ProviderName) =>
      Effect.gen(function* () {
        const override = endpointOverride(provider)
        const endpoint = override === undefined ? undefined : yield* parseUrl("api-endpoint", override)
        const sts = yield* mockSts(provider, Option.getOrUndefined(mock), env)
        const common = {
          ...(endpoint ? { endpoint } : {}),
          ...(Option.isSome(flags.profile) ? { profile: flags.profile.value } : {}),
          ...(flags.roleArn !== undefined && Option.isSome(flags.roleArn) ? { roleArn: flags.roleArn.value } : {}),
          ...(flags.roleSessionName !== undefined && Option.isSome(flags.roleSessionName)
            ? { roleSessionName: flags.roleSessionName.value }
            : {}),
          ...sts,
          transport: flags.transport,
          env
        }
        // the mock's demo key stands in for credentials, except in a pod-like environment (its OIDC variables
        // set), where the chain exchanges the pod's token with the mock's STS instead
        const demo = Option.filter(mock, () => !podIdentitySet(provider, env))
        // the client as a scoped effect in this scope, not a Layer (a few hundred Effect operations less per start)
        const client =
          provider === "tencent"
            ? (yield* Effect.promise(() => import("@kubecred/tencent/TkeClient"))).scoped({
                ...common,
                ...(Option.isSome(demo)
                  ? {
                      credentials: {
                        secretId: demo.value.tencent.secretId,
                        secretKey: Redacted.make(demo.value.tencent.secretKey)
                      }
                    }
                  : {})
              })
            : (yield* Effect.promise(() => import("@kubecred/alibaba/AckClient"))).scoped({
                ...common,
                ...(Option.isSome(demo)
                  ? {
                      credentials: {
                        accessKeyId: demo.value.alibaba.accessKeyId,
                        accessKeySecret: Redacted.make(demo.value.alibaba.accessKeySecret)
                      }
                    }
                  : {})
              })
        return yield* Scope.extend(client, scope)
      })

    const credentials = (provider: ProviderName) => {
      const chain = { ...(Option.isSome(flags.profile) ? { profile: flags.profile.value } : {}), env }
      // each provider's code is loaded on first use: `add tke` never initialises the ACK client
      return provider === "tencent"
        ? Effect.map(
            Effect.flatMap(
              Effect.promise(() => import("@kubecred/tencent/TkeCredentials")),
              (TkeCredentials) =>
                TkeCredentials.resolve({
                  ...chain,
                  ...(Option.isSome(mock)
                    ? {
                        credentials: {
                          secretId: mock.value.tencent.secretId,
                          secretKey: Redacted.make(mock.value.tencent.secretKey)
                        }
                      }
                    : {})
                })
            ),
            (c): PickedCredentials => ({
              source: Option.isSome(mock) ? "the mock cloud's demo key" : c.source,
              keyId: c.secretId,
              temporary: c.token !== undefined,
              expiresAt: c.expiresAt
            })
          )
        : Effect.map(
            Effect.flatMap(
              Effect.promise(() => import("@kubecred/alibaba/AckCredentials")),
              (AckCredentials) =>
                AckCredentials.resolve({
                  ...chain,
                  ...(Option.isSome(mock)
                    ? {
                        credentials: {
                          accessKeyId: mock.value.alibaba.accessKeyId,
                          accessKeySecret: Redacted.make(mock.value.alibaba.accessKeySecret)
                        }
                      }
                    : {})
                })
            ),
            (c): PickedCredentials => ({
              source: Option.isSome(mock) ? "the mock cloud's demo key" : c.source,
              keyId: c.accessKeyId,
              temporary: c.securityToken !== undefined,
              expiresAt: c.expiresAt
            })
          )
    }

    const source: (provider: ProviderName) => Effect.Effect<KubeconfigSource["Type"], KubecredError.ProviderError> =
      yield* Effect.cachedFunction(build)

    const identity = (provider: ProviderName) => {
      const override = endpointOverride(provider)
      const resolved = resolveIdentity(
        {
          provider,
          apiEndpoint: override,
          profile: Option.getOrUndefined(flags.profile),
          mockReady: Option.getOrUndefined(readyPath),
          roleArn: flags.roleArn === undefined ? undefined : Option.getOrUndefined(flags.roleArn)
        },
        env
      )
      if (resolved !== undefined && !flags.mock) return resolved
      const keyId = Option.isSome(mock)
        ? provider === "tencent"
          ? mock.value.tencent.secretId
          : mock.value.alibaba.accessKeyId
        : "unknown"
      return { apiEndpoint: override ?? "default", identity: keyId, sources: [] }
    }

    return Providers.of({
      flags,
      source,
      credentials,
      endpointOverride,
      mock,
      mockReadyPath: flags.mock ? Option.none() : readyPath,
      identity
    })
  })

/** Scope is re-exported so commands that build sources in bulk can share one. */
export type { Scope }
