/**
 * The kubeconfig lock: `<file>.lock`, created with O_CREAT|O_EXCL, which is kubectl's own convention
 * (client-go `clientcmd.lockFile`), so kubectl and kubecred exclude each other. No library implements this
 * convention (proper-lockfile and friends lock with a directory, which kubectl would not see), hence this file.
 *
 * Unlike kubectl, which fails at once on a held lock, we wait (the `lockWaits` schedule) up to a timeout, and we recognise a
 * stale lock: our own lock holds `pid`, a timestamp and a token; a lock whose pid is dead (kill(pid, 0) gives
 * ESRCH) is stale, and so is any lock older than `staleAfter` (kubectl's lock is empty, so its age is all we have).
 */
import { KubeconfigLocked, KubeconfigWriteFailed } from "@kubecred/core/KubecredError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as fs from "node:fs"
import * as path from "node:path"
import { kindOf, readRegular } from "./regularFile.js"
import { uniqueHex } from "./uniqueHex.js"

export interface LockOptions {
  readonly timeout: Duration.Duration
  readonly staleAfter: Duration.Duration
}

export const lockPathOf = (file: string): string => `${file}.lock`

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code

/** Whether process `pid` is gone. EPERM means it exists but is not ours: alive. */
const isDead = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return false
  } catch (error) {
    return errnoOf(error) === "ESRCH"
  }
}

export type LockState =
  | { readonly _tag: "free" }
  | { readonly _tag: "held"; readonly why: string }
  | { readonly _tag: "stale"; readonly ino: number; readonly why: string }

/** What the lock file at `lockPath` is now. */
export const inspectLock = (lockPath: string, staleAfter: Duration.Duration): LockState => {
  let stat: fs.Stats
  let content = ""
  try {
    stat = fs.statSync(lockPath)
    // Something that is not a regular file (a FIFO planted there) is never opened: it would block.
    if (!stat.isFile()) return { _tag: "held", why: `is ${kindOf(stat)}, not a lock kubectl or kubecred made` }
    content = readRegular(lockPath, 4096)?.toString("utf8") ?? ""
  } catch (error) {
    if (errnoOf(error) === "ENOENT") return { _tag: "free" }
    // kubectl creates its lock with mode 0: unreadable to us, but its age still tells.
    try {
      stat = fs.statSync(lockPath)
    } catch {
      return { _tag: "free" }
    }
  }
  const pid = Number.parseInt(content.split("\n")[0] ?? "", 10)
  if (Number.isInteger(pid) && pid > 0 && isDead(pid)) {
    return { _tag: "stale", ino: stat.ino, why: `held by process ${pid}, which is gone` }
  }
  const age = Date.now() - stat.mtimeMs
  if (age > Duration.toMillis(staleAfter)) {
    return { _tag: "stale", ino: stat.ino, why: `left ${Math.round(age / 1000)} s ago` }
  }
  return {
    _tag: "held",
    why: Number.isInteger(pid) && pid > 0 ? `held by process ${pid}` : "held by another program (kubectl?)"
  }
}

/**
 * Takes a stale lock away. Renaming is atomic, so of several processes that found the same stale lock only
 * one moves it; if what we moved is not the lock we judged (someone replaced it meanwhile), we put it back.
 */
const breakStale = (lockPath: string, ino: number): void => {
  const aside = `${lockPath}.stale-${process.pid}-${uniqueHex(8)}`
  try {
    fs.renameSync(lockPath, aside)
  } catch {
    return
  }
  try {
    if (fs.statSync(aside).ino !== ino) {
      try {
        fs.linkSync(aside, lockPath)
      } catch {
        // someone took the lock meanwhile: theirs stands
      }
    }
  } finally {
    try {
      fs.unlinkSync(aside)
    } catch {
      // already gone
    }
  }
}

/**
 * Removes the stale locks that breakers killed between their rename and their unlink left beside `lockPath`
 * (their pid is gone). Run while holding the lock.
 */
const sweepAsides = (lockPath: string): void => {
  const dir = path.dirname(lockPath)
  const prefix = `${path.basename(lockPath)}.stale-`
  let names: Array<string>
  try {
    names = fs.readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) ? /^(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length))?.[1] : undefined
    if (pid === undefined || !isDead(Number(pid))) continue
    try {
      fs.unlinkSync(path.join(dir, name))
    } catch {
      // raced with another sweeper
    }
  }
}

const tryCreate = (lockPath: string, token: string): "created" | "exists" => {
  let fd: number
  try {
    fd = fs.openSync(lockPath, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600)
  } catch (error) {
    if (errnoOf(error) === "EEXIST") return "exists"
    throw error
  }
  try {
    fs.writeSync(fd, `${process.pid}\n${new Date().toISOString()}\n${token}\n`)
  } catch (error) {
    // ENOSPC, EDQUOT, EIO: an empty lock left behind would make kubectl refuse the file, so it goes.
    fs.closeSync(fd)
    try {
      fs.unlinkSync(lockPath)
    } catch {
      // already gone
    }
    throw error
  }
  fs.closeSync(fd)
  return "created"
}

const release = (lockPath: string, token: string): void => {
  try {
    if (fs.readFileSync(lockPath, "utf8").split("\n")[2] === token) fs.unlinkSync(lockPath)
  } catch {
    // gone already, or not ours any more
  }
}

/** The lock is held by someone else (why, in words): try again after the next wait. */
class Held {
  readonly _tag = "Held"
  constructor(readonly why: string) {}
}

/** The waits between tries of a held lock: 5 ms doubling up to 200 ms, jittered, for at most `timeout` in all. */
export const lockWaits = (timeout: Duration.Duration) =>
  Schedule.exponential(Duration.millis(5), 2).pipe(
    Schedule.union(Schedule.spaced(Duration.millis(200))),
    Schedule.jittered,
    Schedule.upTo(timeout)
  )

/** Holds `<file>.lock` for the scope, waiting up to `options.timeout` for it. */
export const acquire = (
  file: string,
  options: LockOptions
): Effect.Effect<void, KubeconfigLocked | KubeconfigWriteFailed, Scope.Scope> => {
  const lockPath = lockPathOf(file)
  const token = uniqueHex(24)
  // One try: create it, else break it when stale (and try again at once), else it is held.
  const once = Effect.suspend((): Effect.Effect<void, Held | KubeconfigWriteFailed> => {
    for (let turn = 0; turn < 100; turn++) {
      let created: "created" | "exists"
      try {
        created = tryCreate(lockPath, token)
      } catch (error) {
        return Effect.fail(
          new KubeconfigWriteFailed({
            path: file,
            detail: `cannot create lock ${lockPath}: ${(error as Error).message}`
          })
        )
      }
      if (created === "created") return Effect.sync(() => sweepAsides(lockPath))
      const state = inspectLock(lockPath, options.staleAfter)
      if (state._tag === "held") return Effect.fail(new Held(state.why))
      if (state._tag === "stale") breakStale(lockPath, state.ino)
    }
    return Effect.fail(new Held("changed hands too often"))
  })
  const attempt = once.pipe(
    Effect.retry({ schedule: lockWaits(options.timeout), while: (error) => error instanceof Held }),
    Effect.catchIf(
      (error): error is Held => error instanceof Held,
      (held) =>
        Effect.fail(
          new KubeconfigLocked({
            path: file,
            detail: `${lockPath} ${held.why}; waited ${Duration.format(options.timeout)}`
          })
        )
    )
  )
  return Effect.acquireRelease(attempt, () => Effect.sync(() => release(lockPath, token)))
}

/** Holds the locks of several files, taken in sorted order (as kubectl does) to avoid deadlock. */
export const acquireAll = (
  files: ReadonlyArray<string>,
  options: LockOptions
): Effect.Effect<void, KubeconfigLocked | KubeconfigWriteFailed, Scope.Scope> =>
  Effect.forEach([...new Set(files)].sort(), (file) => acquire(file, options), { discard: true })
