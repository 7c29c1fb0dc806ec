/**
 * Which API endpoint and which identity a credential request runs under, decided cheaply (environment,
 * flags, a mock ready file) so the exec plugin can key its cache without running a credential chain.
 * node built-ins only: this module is on the `kubecred credential` fast path.
 */
import * as fs from "node:fs"
import { homedir } from "node:os"
import { join } from "node:path"
import type { CacheProvider } from "./credentialCache.js"
import { mtimeOf } from "./credentialCache.js"

export const endpointEnv: Record<CacheProvider, string> = {
  tencent: "KUBECRED_TKE_ENDPOINT",
  alibaba: "KUBECRED_ACK_ENDPOINT"
}

export const MOCK_READY_ENV = "KUBECRED_MOCK_READY"

/** Environment variables that carry an access key id, in the order the providers' chains read them. */
export const keyIdEnv: Record<CacheProvider, ReadonlyArray<string>> = {
  tencent: ["TENCENTCLOUD_SECRET_ID"],
  alibaba: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY", "ALICLOUD_ACCESS_KEY_ID"]
}

/** The variable naming the instance role (CVM CAM role, ECS RAM role) each chain ends with. */
export const roleEnv: Record<CacheProvider, string> = {
  tencent: "TENCENTCLOUD_CAM_ROLE_NAME",
  alibaba: "ALIBABA_CLOUD_ECS_METADATA"
}

export const profileEnv: Record<CacheProvider, ReadonlyArray<string>> = {
  tencent: ["TCCLI_PROFILE"],
  alibaba: ["ALIBABA_CLOUD_PROFILE"]
}

export const regionEnv: Record<CacheProvider, ReadonlyArray<string>> = {
  tencent: ["TENCENTCLOUD_REGION"],
  alibaba: ["ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION", "ALICLOUD_REGION_ID"]
}

/** The parts of a mock cloud's ready file the CLI uses. */
export interface MockReady {
  readonly tencent: {
    readonly endpoint: string
    readonly secretId: string
    readonly secretKey: string
    readonly clusters: ReadonlyArray<{ readonly region: string; readonly clusterId: string }>
  }
  readonly alibaba: {
    readonly endpoint: string
    readonly accessKeyId: string
    readonly accessKeySecret: string
    readonly clusters: ReadonlyArray<{ readonly region: string; readonly clusterId: string }>
  }
  readonly apiserver?: string
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
}

export interface ResolvedIdentity {
  readonly apiEndpoint: string
  readonly identity: string
  readonly sources: ReadonlyArray<readonly [string, number]>
}

const home = (env: NodeJS.ProcessEnv) => (env.HOME && env.HOME !== "" ? env.HOME : homedir())

/** Credential files a profile may come from (their mtimes guard the cache). */
export const profileFiles = (provider: CacheProvider, profile: string, env: NodeJS.ProcessEnv): Array<string> =>
  provider === "tencent"
    ? [
        join(home(env), ".tencentcloud", "credentials"),
        "/etc/tencentcloud/credentials",
        join(home(env), ".tccli", `${profile}.credential`)
      ]
    : [
        join(home(env), ".aliyun", "config.json"),
        join(home(env), ".alibabacloud", "credentials"),
        ...(env.ALIBABA_CLOUD_CREDENTIALS_FILE ? [env.ALIBABA_CLOUD_CREDENTIALS_FILE] : [])
      ]

/**
 * The endpoint and identity in effect, in the providers' chain order: the mock's demo key, else a key id in
 * the environment, else a profile (--profile, the profile variable, `default`). The endpoint: --api-endpoint, else KUBECRED_*_ENDPOINT, else
 * the mock's, else `default`. Undefined when a mock ready file is named but unreadable.
 */
export const resolveIdentity = (flags: IdentityFlags, env: NodeJS.ProcessEnv): ResolvedIdentity | undefined => {
  const readyPath = flags.mockReady ?? (env[MOCK_READY_ENV] !== "" ? env[MOCK_READY_ENV] : undefined)
  const ready = readyPath === undefined ? undefined : readMockReady(readyPath)
  if (readyPath !== undefined && ready === undefined) return undefined
  const apiEndpoint =
    flags.apiEndpoint ?? firstEnv(env, [endpointEnv[flags.provider]]) ?? ready?.[flags.provider].endpoint ?? "default"
  if (ready !== undefined) {
    const keyId = flags.provider === "tencent" ? ready.tencent.secretId : ready.alibaba.accessKeyId
    return { apiEndpoint, identity: keyId, sources: [] }
  }
  const keyId = firstEnv(env, keyIdEnv[flags.provider])
  if (keyId !== undefined) return { apiEndpoint, identity: keyId, sources: [] }
  const profile = flags.profile ?? firstEnv(env, profileEnv[flags.provider]) ?? "default"
  const sources = profileFiles(flags.provider, profile, env).map((path) => [path, mtimeOf(path)] as const)
  // The instance role the chain falls back to when no profile file answers.
  const role = firstEnv(env, [roleEnv[flags.provider]])
  return { apiEndpoint, identity: `profile:${profile}${role === undefined ? "" : ` role:${role}`}`, sources }
}
