/**
 * The `kubecred credential` fast path: kubectl runs the plugin before every fresh process, so a warm cache
 * answers with node built-ins only (argv, one file read, one write to stdout) and the Effect program is
 * imported only on a miss. Anything unusual (an unknown flag, --help, --mock, a bad KUBERNETES_EXEC_INFO)
 * falls through to the full program, which validates and reports it properly.
 */
import { advertisedExpiry, type CacheKey, cacheDirectory, cachePath, readFresh } from "./credentialCache.js"
import { execCredentialJson, readExecInfo } from "./execInfo.js"
import { resolveIdentity } from "./identity.js"

export interface CredentialArgs {
  readonly provider: "tencent" | "alibaba"
  readonly clusterId: string
  readonly region: string | undefined
  readonly private: boolean
  readonly apiEndpoint: string | undefined
  readonly profile: string | undefined
  readonly mockReady: string | undefined
  readonly roleArn: string | undefined
}

const providers: Record<string, "tencent" | "alibaba"> = {
  tencent: "tencent",
  tke: "tencent",
  alibaba: "alibaba",
  ack: "alibaba"
}

const valueFlags = new Set([
  "--region",
  "--ttl",
  "--api-endpoint",
  "--profile",
  "--mock-ready",
  "--transport",
  "--role-arn",
  "--role-session-name"
])
const boolFlags = new Set(["--private", "--verbose"])

/** Parses `credential <provider> <cluster-id> [flags]`; undefined for anything the fast path won't handle. */
export const parseCredentialArgs = (argv: ReadonlyArray<string>): CredentialArgs | undefined => {
  if (argv[0] !== "credential") return undefined
  const positional: Array<string> = []
  const values = new Map<string, string>()
  let isPrivate = false
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=")
      const name = eq === -1 ? arg : arg.slice(0, eq)
      if (boolFlags.has(name) && eq === -1) {
        if (name === "--private") isPrivate = true
        continue
      }
      if (!valueFlags.has(name) || values.has(name)) return undefined
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1)
      if (value === undefined || value === "" || value.startsWith("-")) return undefined
      values.set(name, value)
      continue
    }
    if (arg.startsWith("-")) return undefined
    positional.push(arg)
  }
  if (positional.length !== 2) return undefined
  const provider = providers[positional[0]!]
  if (provider === undefined) return undefined
  return {
    provider,
    clusterId: positional[1]!,
    region: values.get("--region"),
    private: isPrivate,
    apiEndpoint: values.get("--api-endpoint"),
    profile: values.get("--profile"),
    mockReady: values.get("--mock-ready"),
    roleArn: values.get("--role-arn")
  }
}

/** The cache key for these arguments in this environment; undefined when it cannot be decided cheaply. */
export const cacheKeyFor = (
  args: CredentialArgs,
  env: NodeJS.ProcessEnv
): { readonly key: CacheKey; readonly sources: ReadonlyArray<readonly [string, number]> } | undefined => {
  if (args.region === undefined) return undefined
  const resolved = resolveIdentity(args, env)
  if (resolved === undefined) return undefined
  return {
    key: {
      provider: args.provider,
      region: args.region,
      clusterId: args.clusterId,
      endpointKind: args.private ? "private" : "public",
      apiEndpoint: resolved.apiEndpoint,
      identity: resolved.identity
    },
    sources: resolved.sources
  }
}

/** Serves the credential from the cache; false when the full program must run. */
export const serveFromCache = (
  argv: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv,
  out: (text: string) => void,
  now: number = Date.now()
): boolean => {
  const args = parseCredentialArgs(argv)
  if (args === undefined) return false
  const info = readExecInfo(env.KUBERNETES_EXEC_INFO)
  if (info._tag !== "ok") return false
  const resolved = cacheKeyFor(args, env)
  if (resolved === undefined) return false
  const path = cachePath(resolved.key, cacheDirectory(env))
  if (path === undefined) return false
  const entry = readFresh(path, resolved.key, now)
  if (entry === undefined) return false
  out(execCredentialJson(info.apiVersion, entry, advertisedExpiry(entry, now)))
  return true
}
