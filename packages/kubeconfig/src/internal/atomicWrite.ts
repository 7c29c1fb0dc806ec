/**
 * Reading and atomically replacing a kubeconfig file: a temp file in the same directory, fsync, rename over
 * the target, fsync the directory. The result is mode 0600 whatever the old mode was; a missing parent
 * directory is created 0700; a symlink is written through to the file it points at and stays a symlink.
 */
import { KubeconfigWriteFailed } from "@kubecred/core/KubecredError"
import * as Effect from "effect/Effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { uniqueHex } from "./uniqueHex.js"

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code

/** The file a path finally names, following symlinks even when the last one dangles. */
export const realTarget = (file: string): string => {
  let current = path.resolve(file)
  for (let hops = 0; hops < 40; hops++) {
    let stat: fs.Stats
    try {
      stat = fs.lstatSync(current)
    } catch {
      // Does not exist (yet): resolve its directory, which may itself be a symlink.
      try {
        return path.join(fs.realpathSync(path.dirname(current)), path.basename(current))
      } catch {
        return current
      }
    }
    if (!stat.isSymbolicLink()) {
      return fs.realpathSync(current)
    }
    current = path.resolve(path.dirname(current), fs.readlinkSync(current))
  }
  return current
}

const TEMP = /^\.(.+)\.kubecred-(\d+)-[0-9a-f]+\.tmp$/

/** Removes temp files that writers killed mid-write left next to `file` (their pid is gone). */
export const sweepTemps = (file: string): void => {
  const dir = path.dirname(file)
  let names: Array<string>
  try {
    names = fs.readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) {
    const match = TEMP.exec(name)
    if (match === null || match[1] !== path.basename(file)) continue
    const pid = Number(match[2])
    let dead = false
    try {
      process.kill(pid, 0)
    } catch (error) {
      dead = errnoOf(error) === "ESRCH"
    }
    if (dead) {
      try {
        fs.unlinkSync(path.join(dir, name))
      } catch {
        // raced with another sweeper
      }
    }
  }
}

const fsyncDir = (dir: string): void => {
  let fd: number | undefined
  try {
    fd = fs.openSync(dir, fs.constants.O_RDONLY)
    fs.fsyncSync(fd)
  } catch {
    // some file systems cannot fsync a directory; the rename is still atomic
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}

/**
 * Creates `dir` and any missing parents, each 0700, one level at a time. (Node 20's recursive mkdirSync
 * never returns for a path under /proc, so it is not used.)
 */
export const ensureDirectory = (dir: string): void => {
  const missing: Array<string> = []
  let current = path.resolve(dir)
  while (!fs.existsSync(current)) {
    missing.push(current)
    const parent = path.dirname(current)
    if (parent === current) break
    current = parent
  }
  for (const level of missing.reverse()) fs.mkdirSync(level, { mode: 0o700 })
}

/** Replaces `file` (already resolved with `realTarget`) with `content`, atomically, mode 0600. */
export const writeAtomic = (file: string, content: string): Effect.Effect<void, KubeconfigWriteFailed> =>
  Effect.try({
    try: () => {
      const dir = path.dirname(file)
      ensureDirectory(dir)
      const temp = path.join(dir, `.${path.basename(file)}.kubecred-${process.pid}-${uniqueHex(12)}.tmp`)
      try {
        const fd = fs.openSync(temp, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600)
        try {
          fs.writeFileSync(fd, content)
          fs.fchmodSync(fd, 0o600)
          fs.fsyncSync(fd)
        } finally {
          fs.closeSync(fd)
        }
        fs.renameSync(temp, file)
      } catch (error) {
        try {
          fs.unlinkSync(temp)
        } catch {
          // never created
        }
        throw error
      }
      fsyncDir(dir)
    },
    catch: (error) => new KubeconfigWriteFailed({ path: file, detail: (error as Error).message })
  })
