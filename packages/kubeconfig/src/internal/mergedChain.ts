/**
 * A KUBECONFIG read chain merged as kubectl merges it: the first file that defines a name wins, and so does
 * the first non-empty scalar; where each context came from is kept.
 */
type Entry = Record<string, unknown>

/** One file of the chain, as plain data. */
export interface ChainFile {
  readonly path: string
  readonly data: Record<string, unknown>
}

/** The merged view of a chain: first definition of every name wins, and so do scalars; origins kept. */
export interface MergedChain {
  readonly data: Record<string, unknown>
  readonly origin: ReadonlyMap<string, string>
}

const LISTS = ["clusters", "users", "contexts"] as const

export const mergeChain = (files: ReadonlyArray<ChainFile>): MergedChain => {
  const data: Record<string, unknown> = {}
  const origin = new Map<string, string>()
  const lists: Record<string, Array<Entry>> = { clusters: [], users: [], contexts: [] }
  const seen: Record<string, Set<string>> = { clusters: new Set(), users: new Set(), contexts: new Set() }
  for (const file of files) {
    for (const [key, value] of Object.entries(file.data)) {
      if ((LISTS as ReadonlyArray<string>).includes(key)) {
        for (const entry of (Array.isArray(value) ? value : []) as Array<Entry>) {
          const name = entry.name as string
          if (seen[key]!.has(name)) continue
          seen[key]!.add(name)
          lists[key]!.push(entry)
          if (key === "contexts") origin.set(name, file.path)
        }
      } else if (!(key in data) && value !== undefined && value !== null && value !== "") {
        data[key] = value
      }
    }
  }
  for (const key of LISTS) data[key] = lists[key]
  return { data, origin }
}
