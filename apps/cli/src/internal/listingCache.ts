/**
 * The cluster ids of the last `kubecred list`, kept for shell completion (`add tke <Tab>`), as kubectl's
 * discovery cache keeps what the server said last. One JSON file beside the credential cache (0600); ids,
 * names and regions only, nothing secret. A cache that cannot be read or written is not an error.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { cacheDirectory } from "./credentialCache.js"

export interface Listed {
  readonly provider: "tencent" | "alibaba"
  readonly region: string
  readonly clusterId: string
}

const fileOf = (env: NodeJS.ProcessEnv) => join(cacheDirectory(env), "last-list.json")

export const readListing = (env: NodeJS.ProcessEnv = process.env): ReadonlyArray<Listed> => {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(fileOf(env), "utf8"))
    return Array.isArray(parsed)
      ? parsed.filter(
          (c): c is Listed =>
            typeof c?.clusterId === "string" && /^[a-z0-9-]{1,64}$/.test(c.clusterId) && typeof c?.provider === "string"
        )
      : []
  } catch {
    return []
  }
}

/** Replaces the entries of the providers just listed, keeping the others'. */
export const writeListing = (listed: ReadonlyArray<Listed>, env: NodeJS.ProcessEnv = process.env): void => {
  try {
    const providers = new Set(listed.map((c) => c.provider))
    const kept = readListing(env).filter((c) => !providers.has(c.provider))
    const rows = [...kept, ...listed.map(({ provider, region, clusterId }) => ({ provider, region, clusterId }))]
    const file = fileOf(env)
    fs.mkdirSync(cacheDirectory(env), { recursive: true, mode: 0o700 })
    const temp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(temp, JSON.stringify(rows), { mode: 0o600 })
    fs.renameSync(temp, file)
  } catch {
    // completion simply offers fewer ids
  }
}
