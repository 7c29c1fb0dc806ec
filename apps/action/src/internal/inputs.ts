/**
 * The action's inputs (action.yml), read from `INPUT_*` and checked before anything is sent: which cloud, which
 * cluster, how to authenticate (keyless unless the key inputs are given), and how to name the context.
 * Every refusal is one line naming the input.
 */
import { parseMinutes } from "@kubecred/core/Duration"
import * as Either from "effect/Either"
import { type Env, ActionFailure, booleanInput, input, mask } from "./runner.js"

export type Provider = "tencent" | "alibaba"

export interface Keys {
  readonly id: string
  readonly secret: string
  readonly token: string | undefined
}

export interface Keyless {
  readonly roleArn: string
  readonly oidcProvider: string
  readonly audience: string
}

export interface ActionInputs {
  readonly provider: Provider
  readonly clusterId: string
  readonly region: string
  readonly endpoint: "public" | "private"
  /** ACK only: the temporary kubeconfig's lifetime in minutes. */
  readonly ttlMinutes: number | undefined
  readonly auth:
    | { readonly _tag: "keys"; readonly keys: Keys; readonly roleArn: string | undefined }
    | { readonly _tag: "oidc"; readonly oidc: Keyless }
  readonly contextName: string | undefined
  readonly namespace: string | undefined
}

const providers: Record<string, Provider> = { tke: "tencent", tencent: "tencent", ack: "alibaba", alibaba: "alibaba" }

/** The audience each cloud's STS expects by default (the one its pod identity uses). */
export const defaultAudience: Record<Provider, string> = {
  tencent: "sts.cloud.tencent.com",
  alibaba: "sts.aliyuncs.com"
}

/** The key inputs of each cloud: id, secret, session token. */
export const keyInputs: Record<Provider, readonly [string, string, string]> = {
  tencent: ["secret-id", "secret-key", "session-token"],
  alibaba: ["access-key-id", "access-key-secret", "security-token"]
}

const required = (env: Env, name: string, why = ""): string => {
  const value = input(env, name)
  if (value === undefined) throw new ActionFailure(`input ${name} is required${why}`)
  return value
}

const KEYLESS = " for keyless OIDC (or give the key inputs instead)"

const keysOf = (env: Env, provider: Provider): Keys | undefined => {
  const [idName, secretName, tokenName] = keyInputs[provider]
  const id = input(env, idName)
  const secret = input(env, secretName)
  const token = input(env, tokenName)
  mask(secret)
  mask(token)
  if (id === undefined && secret === undefined) return undefined
  if (id === undefined || secret === undefined) {
    throw new ActionFailure(`inputs ${idName} and ${secretName} go together: give both, or neither for keyless OIDC`)
  }
  return { id, secret, token }
}

const ttlOf = (env: Env, provider: Provider): number | undefined => {
  const text = input(env, "ttl")
  if (provider === "tencent") return undefined
  return Either.match(parseMinutes(text ?? "1h"), {
    onLeft: (why) => {
      throw new ActionFailure(`input ttl: ${why}`)
    },
    onRight: (minutes) => {
      if (minutes < 15 || minutes > 4320) {
        throw new ActionFailure(`input ttl: ACK temporary kubeconfigs last 15m to 3d, not ${text}`)
      }
      return minutes
    }
  })
}

/** Reads and checks every input; the secret ones are masked first, before anything can print them. */
export const read = (env: Env): ActionInputs => {
  const named = required(env, "provider").toLowerCase()
  const provider = providers[named]
  // the keys are masked before any other input is looked at, so no refusal below can print them unmasked
  const keys = provider === undefined ? undefined : keysOf(env, provider)
  if (provider === undefined) throw new ActionFailure(`input provider: ${JSON.stringify(named)} is not tke or ack`)
  const clusterId = required(env, "cluster-id")
  const region = required(env, "region")
  const endpoint = booleanInput(env, "private", false) ? "private" : "public"
  const ttlMinutes = ttlOf(env, provider)
  const contextName = input(env, "context-name")
  const namespace = input(env, "namespace")
  if (keys !== undefined) {
    // with keys, role-arn (optional) is a role the keys assume (STS AssumeRole)
    const auth = { _tag: "keys" as const, keys, roleArn: input(env, "role-arn") }
    return { provider, clusterId, region, endpoint, ttlMinutes, auth, contextName, namespace }
  }
  const oidc: Keyless = {
    roleArn: required(env, "role-arn", KEYLESS),
    oidcProvider: required(env, "oidc-provider", KEYLESS),
    audience: input(env, "audience") ?? defaultAudience[provider]
  }
  return { provider, clusterId, region, endpoint, ttlMinutes, auth: { _tag: "oidc", oidc }, contextName, namespace }
}
