/**
 * Which kubeconfig files kubectl reads and which one it writes (client-go `clientcmd` loading rules,
 * docs/decisions.md "Kubeconfig files"): an explicit path wins; else `KUBECONFIG` (split on `:`, `;` on Windows, de-duplicated),
 * whose writes go to the first existing file, else to the LAST entry; else `~/.kube/config`.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

export interface Resolved {
  /** The file new entries are written to. */
  readonly writeTarget: string
  /** The files read, in precedence order (the first definition of a name wins). */
  readonly readChain: ReadonlyArray<string>
}

export interface ResolveOptions {
  readonly explicit?: string | undefined
  readonly env?: Record<string, string | undefined>
  readonly home?: string
  /** For tests; defaults to `process.platform`. */
  readonly platform?: NodeJS.Platform
  /** For tests; defaults to `fs.existsSync`. */
  readonly exists?: (file: string) => boolean
}

/** `~/.kube/config` for the given home directory. */
export const defaultPath = (home: string): string => path.join(home, ".kube", "config")

const expandHome = (file: string, home: string): string =>
  file === "~" ? home : file.startsWith("~/") ? path.join(home, file.slice(2)) : file

/** Splits a KUBECONFIG value as client-go does: empty entries dropped, later duplicates ignored. */
export const splitKubeconfigEnv = (value: string, platform: NodeJS.Platform = process.platform): Array<string> => {
  const separator = platform === "win32" ? ";" : ":"
  const seen = new Set<string>()
  const out: Array<string> = []
  for (const entry of value.split(separator)) {
    if (entry === "" || seen.has(entry)) continue
    seen.add(entry)
    out.push(entry)
  }
  return out
}

export const resolve = (options: ResolveOptions = {}): Resolved => {
  const env = options.env ?? process.env
  const home = options.home ?? os.homedir()
  const exists = options.exists ?? fs.existsSync
  if (options.explicit !== undefined && options.explicit !== "") {
    const file = path.resolve(expandHome(options.explicit, home))
    return { writeTarget: file, readChain: [file] }
  }
  const fromEnv = env.KUBECONFIG
  if (fromEnv !== undefined && fromEnv !== "") {
    // client-go does not expand `~` inside KUBECONFIG (the shell does, when unquoted), so neither do we.
    const chain = splitKubeconfigEnv(fromEnv, options.platform).map((entry) => path.resolve(entry))
    if (chain.length > 0) {
      const writeTarget = chain.find((file) => exists(file)) ?? chain[chain.length - 1]!
      return { writeTarget, readChain: chain }
    }
  }
  const file = defaultPath(home)
  return { writeTarget: file, readChain: [file] }
}
