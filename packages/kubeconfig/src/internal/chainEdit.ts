/**
 * Editing the files of a KUBECONFIG chain as kubectl does (client-go `ModifyConfig`): every file of the chain
 * that exists, plus the write target, is locked in sorted order (the path as given and the real file behind
 * a symlink), read, edited as a whole, and each file whose text changed is replaced atomically.
 */
import type { KubeconfigError } from "@kubecred/core/KubecredError"
import { KubeconfigWriteFailed } from "@kubecred/core/KubecredError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fs from "node:fs"
import * as path from "node:path"
import type { LockOptions } from "./lockFile.js"
import { acquireAll } from "./lockFile.js"
import { ensureDirectory, readText, realTarget, sweepTemps, writeAtomic } from "./atomicWrite.js"
import { parseSource, type SourceModel } from "./source.js"

/** The chain as read: its files in precedence order, and the one new entries go to. */
export interface Chain {
  readonly target: string
  readonly models: ReadonlyArray<SourceModel>
}

/** What an edit wants: the new text of every file it changed (by path), and its result. */
export interface Edited<A> {
  readonly texts: ReadonlyMap<string, string>
  readonly result: A
}

/** The files an edit takes part in: those of the read chain that exist, and always the write target. */
export const chainFiles = (readChain: ReadonlyArray<string>, target: string): ReadonlyArray<string> =>
  readChain.filter((file) => file === target || fs.existsSync(file))

/**
 * Runs `edit` on the chain's files and writes the ones it changed. `dryRun` takes no lock and writes nothing.
 * `written` lists the files replaced, in chain order.
 */
export const editChain = <A>(
  files: ReadonlyArray<string>,
  target: string,
  dryRun: boolean,
  lockOptions: LockOptions,
  edit: (chain: Chain) => Either.Either<Edited<A>, KubeconfigError>
): Effect.Effect<{ readonly result: A; readonly written: ReadonlyArray<string> }, KubeconfigError> => {
  const reals = new Map(files.map((file) => [file, realTarget(file)]))
  const run = Effect.gen(function* () {
    const originals = new Map<string, string>()
    const models: Array<SourceModel> = []
    for (const file of files) {
      const text = yield* readText(reals.get(file)!)
      originals.set(file, text)
      models.push(yield* parseSource(file, text))
    }
    const edited = yield* edit({ target, models })
    const written: Array<string> = []
    if (!dryRun) {
      for (const file of files) {
        const text = edited.texts.get(file)
        if (text === undefined || text === originals.get(file)) continue
        yield* writeAtomic(reals.get(file)!, text)
        written.push(file)
      }
    }
    return { result: edited.result, written }
  })
  if (dryRun) return run
  const realTargetFile = reals.get(target)!
  return Effect.scoped(
    Effect.gen(function* () {
      yield* Effect.try({
        try: () => ensureDirectory(path.dirname(realTargetFile)),
        catch: (error) => new KubeconfigWriteFailed({ path: target, detail: (error as Error).message })
      })
      yield* acquireAll([...files, ...reals.values()], lockOptions)
      yield* Effect.sync(() => {
        for (const real of reals.values()) sweepTemps(real)
      })
      return yield* run
    })
  )
}
