/**
 * Changing the files of a KUBECONFIG chain as kubectl does (client-go `ModifyConfig`): every file of the chain
 * that exists, plus the write target, is locked in sorted order (the path as given and the real file behind
 * a symlink), read, changed as a whole, and each file whose text changed is replaced atomically.
 */
import type { KubeconfigError } from "@kubecred/core/KubecredError"
import { KubeconfigUnreadable, KubeconfigWriteFailed } from "@kubecred/core/KubecredError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fs from "node:fs"
import * as path from "node:path"
import type { LockOptions } from "./lockFile.js"
import { acquireAll } from "./lockFile.js"
import { ensureDirectory, realTarget, sweepTemps, writeAtomic } from "./atomicWrite.js"
import { irregularKind, readKubeconfig } from "./regularFile.js"
import type { SourceModel } from "./model.js"
import { parseSource } from "./source.js"

/** The chain as read: its files in precedence order, and the one new entries go to. */
export interface Chain {
  readonly target: string
  readonly models: ReadonlyArray<SourceModel>
}

/** What a change wants: the new text of every file it changed (by path), and its result. */
export interface Changed<A> {
  readonly texts: ReadonlyMap<string, string>
  readonly result: A
}

/** The files a change takes part in: those of the read chain that exist, and always the write target. */
export const chainFiles = (readChain: ReadonlyArray<string>, target: string): ReadonlyArray<string> =>
  readChain.filter((file) => file === target || fs.existsSync(file))

/**
 * Runs `change` on the chain's files and writes the ones it changed. `dryRun` takes no lock and writes nothing.
 * `written` lists the files replaced, in chain order.
 */
export const changeChain = <A>(
  files: ReadonlyArray<string>,
  target: string,
  dryRun: boolean,
  lockOptions: LockOptions,
  change: (chain: Chain) => Either.Either<Changed<A>, KubeconfigError>
): Effect.Effect<{ readonly result: A; readonly written: ReadonlyArray<string> }, KubeconfigError> => {
  const reals = new Map(files.map((file) => [file, realTarget(file)]))
  const run = Effect.gen(function* () {
    const originals = new Map<string, { readonly text: string; readonly bom: boolean }>()
    const models: Array<SourceModel> = []
    for (const file of files) {
      const read = yield* readKubeconfig(reals.get(file)!)
      originals.set(file, read)
      models.push(yield* parseSource(file, read.text))
    }
    const outcome = yield* change({ target, models })
    const changed = files.filter((file) => {
      const text = outcome.texts.get(file)
      return text !== undefined && text !== originals.get(file)!.text
    })
    for (const model of models) {
      if (changed.includes(model.path) && model.mode === "render" && model.commented === true) {
        return yield* new KubeconfigWriteFailed({
          path: model.path,
          detail:
            "its flow-style lists ([...]) or mapping ({...}) would be rendered again and lose its comments; write them in block style (one `- name:` per entry) and retry"
        })
      }
    }
    const written: Array<string> = []
    if (!dryRun) {
      for (const file of changed) {
        // A file that started with a BOM keeps it.
        const bom = originals.get(file)!.bom ? "\uFEFF" : ""
        yield* writeAtomic(reals.get(file)!, bom + outcome.texts.get(file)!)
        written.push(file)
      }
    }
    return { result: outcome.result, written }
  })
  // A device, FIFO or socket in the chain is refused before anything is locked or opened.
  const irregular = Effect.forEach(files, (file) => {
    const kind = irregularKind(reals.get(file)!)
    return kind === undefined
      ? Effect.void
      : Effect.fail(new KubeconfigUnreadable({ path: file, detail: `is ${kind}, not a regular file` }))
  })
  if (dryRun) return Effect.zipRight(irregular, run)
  const realTargetFile = reals.get(target)!
  return Effect.scoped(
    Effect.gen(function* () {
      yield* irregular
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
