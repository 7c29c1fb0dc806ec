/**
 * The exec credential cache: one JSON file per provider, region, cluster, endpoint kind and identity, under
 * $KUBECRED_CACHE_DIR or ~/.kube/cache/kubecred (directory 0700, files 0600, written atomically).
 * The identity is a hash of the access key id (or profile name) and the API endpoint in effect, never the
 * secret. An entry is refreshed once less than max(20% of its lifetime, 10 minutes) remains.
 * node built-ins only: this module is on the `kubecred credential` fast path.
 */
import { createHash, randomBytes } from "node:crypto"
import * as fs from "node:fs"
import { homedir } from "node:os"
import { dirname, join } from "node:path"

export type CacheProvider = "tencent" | "alibaba"

export interface CacheKey {
  readonly provider: CacheProvider
  readonly region: string
  readonly clusterId: string
  readonly endpointKind: "public" | "private"
  /** The API endpoint in effect (an override URL) or `default`. */
  readonly apiEndpoint: string
  /** An access key id, or `profile:<name>` when the key comes from a CLI profile. */
  readonly identity: string
}

export interface CacheEntry {
  readonly version: 1
  readonly provider: CacheProvider
  readonly region: string
  readonly clusterId: string
  readonly endpointKind: "public" | "private"
  readonly identityHash: string
  /** PEM. */
  readonly clientCertificateData: string
  /** PEM. */
  readonly clientKeyData: string
  readonly fetchedAt: number
  /** When the credential itself stops working (ACK's expiration, else the certificate's notAfter). */
  readonly expiresAt: number
  /** Credential files (and their mtimes) the identity came from: a change invalidates the entry. */
  readonly sources: ReadonlyArray<readonly [path: string, mtimeMs: number]>
}

export const MIN_REFRESH_MARGIN_MS = 10 * 60_000
/** How long kubectl may keep a credential in memory before asking again, for very long-lived ones (TKE). */
export const MAX_ADVERTISED_MS = 60 * 60_000

export const cacheDirectory = (env: NodeJS.ProcessEnv = process.env): string =>
  env.KUBECRED_CACHE_DIR && env.KUBECRED_CACHE_DIR !== ""
    ? env.KUBECRED_CACHE_DIR
    : join(env.HOME && env.HOME !== "" ? env.HOME : homedir(), ".kube", "cache", "kubecred")

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex")

export const identityHash = (key: Pick<CacheKey, "identity" | "apiEndpoint">): string =>
  sha256(`${key.identity}\u0000${key.apiEndpoint}`).slice(0, 32)

const safe = (text: string) => /^[a-z0-9-]{1,64}$/.test(text)

/** The entry's file, or undefined when a part is not a plain id (then nothing is cached). */
export const cachePath = (key: CacheKey, directory: string): string | undefined => {
  if (!safe(key.region) || !safe(key.clusterId)) return undefined
  return join(
    directory,
    `${key.provider}-${key.region}-${key.clusterId}-${key.endpointKind}-${identityHash(key).slice(0, 16)}.json`
  )
}

/** When the entry stops being served: less than max(20% of its lifetime, 10 minutes) left. */
export const refreshAt = (entry: Pick<CacheEntry, "fetchedAt" | "expiresAt">): number => {
  const lifetime = Math.max(0, entry.expiresAt - entry.fetchedAt)
  return entry.expiresAt - Math.max(0.2 * lifetime, MIN_REFRESH_MARGIN_MS)
}

/** What we tell kubectl: the refresh time, but never more than an hour ahead (TKE's 20-year certificates). */
export const advertisedExpiry = (entry: Pick<CacheEntry, "fetchedAt" | "expiresAt">, now: number): number =>
  Math.min(refreshAt(entry), now + MAX_ADVERTISED_MS)

export const mtimeOf = (path: string): number => {
  try {
    return fs.statSync(path).mtimeMs
  } catch {
    return -1
  }
}

const isEntry = (value: unknown): value is CacheEntry => {
  if (typeof value !== "object" || value === null) return false
  const v = value as Record<string, unknown>
  return (
    v.version === 1 &&
    typeof v.clientCertificateData === "string" &&
    typeof v.clientKeyData === "string" &&
    typeof v.fetchedAt === "number" &&
    typeof v.expiresAt === "number" &&
    typeof v.identityHash === "string" &&
    Array.isArray(v.sources)
  )
}

/** The entry, if present, well formed, for this identity, its sources unchanged, and not due for refresh. */
export const readFresh = (path: string, key: CacheKey, now: number): CacheEntry | undefined => {
  let raw: string
  try {
    raw = fs.readFileSync(path, "utf8")
  } catch {
    return undefined
  }
  let entry: unknown
  try {
    entry = JSON.parse(raw)
  } catch {
    return undefined
  }
  if (!isEntry(entry)) return undefined
  if (entry.identityHash !== identityHash(key)) return undefined
  if (entry.provider !== key.provider || entry.clusterId !== key.clusterId || entry.region !== key.region) {
    return undefined
  }
  if (entry.endpointKind !== key.endpointKind) return undefined
  if (now >= refreshAt(entry)) return undefined
  for (const [source, mtime] of entry.sources) if (mtimeOf(source) !== mtime) return undefined
  return entry
}

/** Writes the entry atomically: 0700 directory, 0600 temp file in it, rename over the old one. */
export const write = (path: string, entry: CacheEntry): void => {
  const directory = dirname(path)
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 })
  const temp = join(directory, `.${randomBytes(6).toString("hex")}.tmp`)
  const fd = fs.openSync(temp, "wx", 0o600)
  try {
    fs.writeFileSync(fd, JSON.stringify(entry))
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  try {
    fs.renameSync(temp, path)
  } catch (error) {
    fs.rmSync(temp, { force: true })
    throw error
  }
}

/** Deletes every entry for a cluster (any identity), e.g. after `remove`. Returns how many went. */
export const evict = (directory: string, provider: CacheProvider, clusterId: string): number => {
  let names: Array<string>
  try {
    names = fs.readdirSync(directory)
  } catch {
    return 0
  }
  let removed = 0
  for (const name of names) {
    if (name.startsWith(`${provider}-`) && name.includes(`-${clusterId}-`) && name.endsWith(".json")) {
      fs.rmSync(join(directory, name), { force: true })
      removed++
    }
  }
  return removed
}
