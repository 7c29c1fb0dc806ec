/**
 * The exec credential cache: one JSON file per provider, region, cluster, endpoint kind and identity, under
 * $KUBECRED_CACHE_DIR or ~/.kube/cache/kubecred (directory 0700, files 0600, written atomically).
 * The identity is a hash of the access key id (or profile name) and the API endpoint in effect, never the
 * secret: 64-bit FNV-1a, which tells entries apart without loading node:crypto (about 4 ms of every
 * `kubecred credential`); it protects nothing, the key id is not a secret and the directory is ours alone. An entry is refreshed once less than max(20% of its lifetime, 10 minutes) remains.
 *
 * The cache is trusted only when it is ours: the directory a real 0700 directory (not a symlink) owned by this
 * user, each entry a regular 0600 file owned by this user with one link, opened with O_NOFOLLOW and O_NONBLOCK
 * (a FIFO or a symlink planted there is never followed or waited on). Anything else is ignored, as a miss.
 * A write refuses a directory that is not ours (CacheRefused) and leaves no temp file behind when it fails.
 * node built-ins only: this module is on the `kubecred credential` fast path.
 */
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

const FNV_OFFSET = 0xcbf29ce484222325n
const FNV_PRIME = 0x100000001b3n
const MASK_64 = 0xffffffffffffffffn

/** 64-bit FNV-1a of the text's UTF-8 bytes, as 16 hex digits. */
export const fnv1a64 = (text: string): string => {
  let hash = FNV_OFFSET
  for (const byte of Buffer.from(text, "utf8")) hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_64
  return hash.toString(16).padStart(16, "0")
}

export const identityHash = (key: Pick<CacheKey, "identity" | "apiEndpoint">): string =>
  fnv1a64(`${key.identity}\u0000${key.apiEndpoint}`)

const safe = (text: string) => /^[a-z0-9-]{1,64}$/.test(text)

/** The entry's file, or undefined when a part is not a plain id (then nothing is cached). */
export const cachePath = (key: CacheKey, directory: string): string | undefined => {
  if (!safe(key.region) || !safe(key.clusterId)) return undefined
  return join(directory, `${key.provider}-${key.region}-${key.clusterId}-${key.endpointKind}-${identityHash(key)}.json`)
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

/** The largest entry read: a certificate and key are a few KB. */
export const MAX_ENTRY_BYTES = 64 * 1024

const uid = (): number | undefined => (typeof process.getuid === "function" ? process.getuid() : undefined)

/** Why `stat` is not ours (owner, group/other permission bits), or undefined when it is. */
const notOurs = (stat: fs.Stats): string | undefined => {
  const me = uid()
  if (me !== undefined && stat.uid !== me) return `owned by uid ${stat.uid}`
  if ((stat.mode & 0o077) !== 0) return `mode ${(stat.mode & 0o777).toString(8).padStart(4, "0")}`
  return undefined
}

/** Why the cache directory cannot be trusted, or undefined when it is ours (or does not exist yet). */
export const directoryProblem = (directory: string): string | undefined => {
  let stat: fs.Stats
  try {
    stat = fs.lstatSync(directory)
  } catch {
    return undefined
  }
  if (stat.isSymbolicLink()) return "is a symlink"
  if (!stat.isDirectory()) return "is not a directory"
  return notOurs(stat)
}

/** The entry file's text when it is ours and a plain file; undefined otherwise (never following, never waiting). */
const readOwn = (path: string): string | undefined => {
  if (directoryProblem(dirname(path)) !== undefined) return undefined
  let fd: number
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK)
  } catch {
    return undefined
  }
  try {
    const stat = fs.fstatSync(fd)
    if (!stat.isFile() || stat.nlink !== 1 || notOurs(stat) !== undefined || stat.size > MAX_ENTRY_BYTES) {
      return undefined
    }
    const buffer = Buffer.alloc(stat.size)
    let length = 0
    while (length < buffer.length) {
      const read = fs.readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0) break
      length += read
    }
    return buffer.toString("utf8", 0, length)
  } catch {
    return undefined
  } finally {
    fs.closeSync(fd)
  }
}

/** The entry, if present, ours, well formed, for this identity, its sources unchanged, and not due for refresh. */
export const readFresh = (path: string, key: CacheKey, now: number): CacheEntry | undefined => {
  const raw = readOwn(path)
  if (raw === undefined) return undefined
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

/** The cache directory is not this user's own: nothing is written there. */
export class CacheRefused extends Error {
  readonly _tag = "CacheRefused"
}

/**
 * Writes the entry atomically: the directory created 0700 (or, when it is ours but too open, made 0700), a 0600
 * temp file in it (O_EXCL, O_NOFOLLOW), renamed over the old entry; the temp file is removed on any failure.
 */
export const write = (path: string, entry: CacheEntry): void => {
  const directory = dirname(path)
  fs.mkdirSync(dirname(directory), { recursive: true, mode: 0o700 })
  try {
    fs.mkdirSync(directory, { mode: 0o700 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
  }
  const problem = directoryProblem(directory)
  if (problem !== undefined) {
    const stat = fs.lstatSync(directory)
    const me = uid()
    if (!stat.isDirectory() || stat.isSymbolicLink() || (me !== undefined && stat.uid !== me)) {
      throw new CacheRefused(`the credential cache ${directory} ${problem}; not caching (set KUBECRED_CACHE_DIR)`)
    }
    fs.chmodSync(directory, 0o700)
  }
  const temp = join(
    directory,
    `.${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(6))).toString("hex")}.tmp`
  )
  try {
    const fd = fs.openSync(
      temp,
      fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW,
      0o600
    )
    try {
      fs.writeFileSync(fd, JSON.stringify(entry))
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
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
