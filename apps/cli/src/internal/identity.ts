/**
 * Which API endpoint and which identity a credential request runs under, decided cheaply (environment,
 * flags, a mock ready file) so the exec plugin can key its cache without running a credential chain.
 * node built-ins and the providers' dependency-free environment modules only: this module is on the
 * `kubecred credential` fast path. The variable names are the chains' own (TkeEnvironment, AckEnvironment).
 */
import * as AckEnvironment from "@kubecred/alibaba/AckEnvironment"
import * as TkeEnvironment from "@kubecred/tencent/TkeEnvironment"
import * as fs from "node:fs"
import { homedir } from "node:os"
import type { CacheProvider } from "./credentialCache.js"
import { mtimeOf } from "./credentialCache.js"

export const endpointEnv: Record<CacheProvider, string> = {
  tencent: TkeEnvironment.ENV_ENDPOINT,
  alibaba: AckEnvironment.ENV_ENDPOINT
}

export const MOCK_READY_ENV = "KUBECRED_MOCK_READY"

/** Environment variables that carry an access key id, in the order the providers' chains read them. */
export const keyIdEnv: Record<CacheProvider, ReadonlyArray<string>> = {
  tencent: TkeEnvironment.keyIdVariables,
  alibaba: AckEnvironment.keyIdVariables
}

/** The variable naming the instance role (CVM CAM role, ECS RAM role) each chain ends with. */
export const roleEnv: Record<CacheProvider, string> = {
  tencent: TkeEnvironment.ENV_CAM_ROLE,
  alibaba: AckEnvironment.ENV_ECS_ROLE
}

export const profileEnv: Record<CacheProvider, ReadonlyArray<string>> = {
  tencent: TkeEnvironment.profileVariables,
  alibaba: AckEnvironment.profileVariables
}

/** The region variables of each chain (ACK: ALIBABA_CLOUD_REGION_ID only, as its chain reads). */
export const regionEnv: Record<CacheProvider, ReadonlyArray<string>> = {
  tencent: TkeEnvironment.regionVariables,
  alibaba: AckEnvironment.regionVariables
}

/** The workload identity (OIDC) variables of each chain: a pod's environment when all are set. */
export const podIdentityEnv: Record<CacheProvider, ReadonlyArray<string>> = {
  tencent: TkeEnvironment.oidcVariables,
  alibaba: AckEnvironment.oidcVariables
}

/** Whether the environment is a pod's with workload identity for this provider (every OIDC variable set). */
export const podIdentitySet = (provider: CacheProvider, env: NodeJS.ProcessEnv): boolean =>
  podIdentityEnv[provider].every((name) => env[name] !== undefined && env[name] !== "")

/** The parts of a mock cloud's ready file the CLI uses. */
export interface MockReady {
  readonly tencent: {
    readonly endpoint: string
    readonly secretId: string
    readonly secretKey: string
    readonly clusters: ReadonlyArray<{ readonly region: string; readonly clusterId: string }>
    readonly stsEndpoint?: string
  }
  readonly alibaba: {
    readonly endpoint: string
    readonly accessKeyId: string
    readonly accessKeySecret: string
    readonly clusters: ReadonlyArray<{ readonly region: string; readonly clusterId: string }>
    readonly stsEndpoint?: string
  }
  readonly apiserver?: string
  /** The CA of the mock's HTTPS port (its STS), trusted for the STS calls only. */
  readonly caFile?: string
}

export const isMockReady = (value: unknown): value is MockReady => {
  if (typeof value !== "object" || value === null) return false
  const v = value as Record<string, any>
  return (
    typeof v.tencent?.endpoint === "string" &&
    typeof v.tencent?.secretId === "string" &&
    typeof v.tencent?.secretKey === "string" &&
    typeof v.alibaba?.endpoint === "string" &&
    typeof v.alibaba?.accessKeyId === "string" &&
    typeof v.alibaba?.accessKeySecret === "string"
  )
}

/** Reads a ready file; undefined when it is missing or not a ready file. */
export const readMockReady = (path: string): MockReady | undefined => {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(path, "utf8"))
    return isMockReady(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

const firstEnv = (env: NodeJS.ProcessEnv, names: ReadonlyArray<string>): string | undefined => {
  for (const name of names) {
    const value = env[name]
    if (value !== undefined && value !== "") return value
  }
  return undefined
}

export const envRegion = (provider: CacheProvider, env: NodeJS.ProcessEnv): string | undefined =>
  firstEnv(env, regionEnv[provider])

export interface IdentityFlags {
  readonly provider: CacheProvider
  readonly apiEndpoint?: string | undefined
  readonly profile?: string | undefined
  readonly mockReady?: string | undefined
  /** --role-arn: the assumed role is part of the identity. */
  readonly roleArn?: string | undefined
}

export interface ResolvedIdentity {
  readonly apiEndpoint: string
  readonly identity: string
  readonly sources: ReadonlyArray<readonly [string, number]>
}

const home = (env: NodeJS.ProcessEnv) => (env.HOME && env.HOME !== "" ? env.HOME : homedir())

/** Credential files a profile may come from (their mtimes guard the cache). */
export const profileFiles = (provider: CacheProvider, profile: string, env: NodeJS.ProcessEnv): Array<string> => [
  ...(provider === "tencent"
    ? TkeEnvironment.profileFiles(home(env), profile)
    : AckEnvironment.profileFiles(home(env), env))
]

/**
 * The endpoint and identity in effect, in the providers' chain order: the mock's demo key, else a key id in
 * the environment, else a profile (--profile, the profile variable, `default`). The endpoint: --api-endpoint, else KUBECRED_*_ENDPOINT, else
 * the mock's, else `default`. Undefined when a mock ready file is named but unreadable.
 */
export const resolveIdentity = (flags: IdentityFlags, env: NodeJS.ProcessEnv): ResolvedIdentity | undefined => {
  const found = baseIdentity(flags, env)
  return found === undefined || flags.roleArn === undefined || flags.roleArn === ""
    ? found
    : { ...found, identity: `${found.identity} assume:${flags.roleArn}` }
}

/** A pod's workload identity: the role its token is exchanged for. */
const podIdentity = (provider: CacheProvider, env: NodeJS.ProcessEnv): string | undefined =>
  podIdentitySet(provider, env) ? `oidc:${env[podIdentityEnv[provider][0]!]}` : undefined

const baseIdentity = (flags: IdentityFlags, env: NodeJS.ProcessEnv): ResolvedIdentity | undefined => {
  const readyPath = flags.mockReady ?? (env[MOCK_READY_ENV] !== "" ? env[MOCK_READY_ENV] : undefined)
  const ready = readyPath === undefined ? undefined : readMockReady(readyPath)
  if (readyPath !== undefined && ready === undefined) return undefined
  const apiEndpoint =
    flags.apiEndpoint ?? firstEnv(env, [endpointEnv[flags.provider]]) ?? ready?.[flags.provider].endpoint ?? "default"
  const pod = podIdentity(flags.provider, env)
  if (ready !== undefined) {
    if (pod !== undefined) return { apiEndpoint, identity: pod, sources: [] }
    const keyId = flags.provider === "tencent" ? ready.tencent.secretId : ready.alibaba.accessKeyId
    return { apiEndpoint, identity: keyId, sources: [] }
  }
  const keyId = firstEnv(env, keyIdEnv[flags.provider])
  if (keyId !== undefined) return { apiEndpoint, identity: keyId, sources: [] }
  // Alibaba's chain reads RRSA right after the environment's keys
  if (flags.provider === "alibaba" && pod !== undefined) return { apiEndpoint, identity: pod, sources: [] }
  const profile = flags.profile ?? firstEnv(env, profileEnv[flags.provider]) ?? "default"
  const sources = profileFiles(flags.provider, profile, env).map((path) => [path, mtimeOf(path)] as const)
  // The instance role the chain falls back to when no profile file answers.
  const role = firstEnv(env, [roleEnv[flags.provider]])
  const tail = `${role === undefined ? "" : ` role:${role}`}${pod === undefined ? "" : ` ${pod}`}`
  return { apiEndpoint, identity: `profile:${profile}${tail}`, sources }
}
