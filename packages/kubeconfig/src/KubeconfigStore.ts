/**
 * The kubeconfig engine as a service: merge fetched kubeconfigs into the file kubectl would write, remove
 * kubecred's entries, and inspect or read the chain kubectl reads. Every write holds kubectl's `<file>.lock`
 * and replaces the file atomically (temp file, fsync, rename; mode 0600).
 */
import type { FetchedKubeconfig } from "@kubecred/core/FetchedKubeconfig"
import { decodeDocumentEither, type KubeconfigDocument } from "@kubecred/core/KubeconfigDocument"
import {
  InvalidInput,
  type KubeconfigError,
  KubeconfigUnreadable,
  KubeconfigWriteFailed
} from "@kubecred/core/KubecredError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as fs from "node:fs"
import * as path from "node:path"
import { ensureDirectory, readText, realTarget, sweepTemps, writeAtomic } from "./internal/atomicWrite.js"
import { acquireAll } from "./internal/lockFile.js"
import { parseSource } from "./internal/source.js"
import { type ContextStatus, type ChainFile, inspectChain, mergeChain } from "./Inspect.js"
import * as KubeconfigPaths from "./KubeconfigPaths.js"
import {
  type AddOptions,
  type AddResult,
  addToModel,
  type RemoveResult,
  type RemoveSelector,
  removeFromModel
} from "./Merge.js"

export type { AddOptions, AddResult, ExecOptions, RemoveResult, RemoveSelector } from "./Merge.js"
export type { ContextStatus } from "./Inspect.js"

export interface Service {
  readonly add: (fetched: FetchedKubeconfig, options?: AddOptions) => Effect.Effect<AddResult, KubeconfigError>
  /** One lock and one write for many clusters (bulk sync). */
  readonly addMany: (
    items: ReadonlyArray<{ fetched: FetchedKubeconfig; options?: AddOptions }>,
    shared?: { kubeconfig?: string }
  ) => Effect.Effect<ReadonlyArray<AddResult>, KubeconfigError>
  readonly remove: (
    selector: RemoveSelector,
    options?: { kubeconfig?: string | undefined; dryRun?: boolean }
  ) => Effect.Effect<RemoveResult, KubeconfigError>
  /** Every context over the whole read chain, first definition wins as in kubectl. */
  readonly inspect: (options?: {
    kubeconfig?: string | undefined
  }) => Effect.Effect<ReadonlyArray<ContextStatus>, KubeconfigError>
  /** The merged view of the read chain. */
  readonly read: (options?: { kubeconfig?: string | undefined }) => Effect.Effect<KubeconfigDocument, KubeconfigError>
}

export class KubeconfigStore extends Context.Tag("@kubecred/kubeconfig/KubeconfigStore")<KubeconfigStore, Service>() {}

export interface MakeOptions {
  /** How long to wait for another writer's lock. Default 10 seconds. */
  readonly lockTimeout?: Duration.DurationInput
  /** A lock older than this is stale (kubectl's empty lock has no pid to check). Default 30 seconds. */
  readonly staleLockAfter?: Duration.DurationInput
  readonly env?: Record<string, string | undefined>
  readonly home?: string
}

export const make = (options: MakeOptions = {}): Effect.Effect<Service> =>
  Effect.sync(() => {
    const lockOptions = {
      timeout: Duration.decode(options.lockTimeout ?? Duration.seconds(10)),
      staleAfter: Duration.decode(options.staleLockAfter ?? Duration.seconds(30))
    }
    const resolve = (explicit: string | undefined) =>
      KubeconfigPaths.resolve({
        explicit,
        ...(options.env === undefined ? {} : { env: options.env }),
        ...(options.home === undefined ? {} : { home: options.home })
      })

    /**
     * Runs `edit` on the write target's text under its lock and writes the result when it changed.
     * The lock is taken on the path as given (where kubectl locks) and on the real file behind a symlink.
     */
    const editFile = <A>(
      explicit: string | undefined,
      dryRun: boolean,
      edit: (
        file: string,
        text: string
      ) => Either.Either<{ readonly text: string; readonly result: A }, KubeconfigError>
    ): Effect.Effect<{ readonly path: string; readonly result: A; readonly written: boolean }, KubeconfigError> => {
      const target = resolve(explicit).writeTarget
      const real = realTarget(target)
      const run = Effect.gen(function* () {
        const original = yield* readText(real)
        const edited = yield* edit(target, original)
        if (dryRun || edited.text === original) return { path: target, result: edited.result, written: false }
        yield* writeAtomic(real, edited.text)
        return { path: target, result: edited.result, written: true }
      })
      if (dryRun) return run
      return Effect.scoped(
        Effect.gen(function* () {
          yield* Effect.try({
            try: () => ensureDirectory(path.dirname(real)),
            catch: (error) => new KubeconfigWriteFailed({ path: target, detail: (error as Error).message })
          })
          yield* acquireAll([target, real], lockOptions)
          yield* Effect.sync(() => sweepTemps(real))
          return yield* run
        })
      )
    }

    const addMany: Service["addMany"] = (items, shared) => {
      const files = new Set(items.map((item) => item.options?.kubeconfig).filter((file) => file !== undefined))
      if (shared?.kubeconfig === undefined && files.size > 1) {
        return Effect.fail(
          new InvalidInput({ field: "kubeconfig", detail: "addMany writes one file; the items name several" })
        )
      }
      const explicit = shared?.kubeconfig ?? [...files][0]
      const dryRun = items.length > 0 && items.every((item) => item.options?.dryRun === true)
      return editFile(explicit, dryRun, (file, text) =>
        Either.flatMap(parseSource(file, text), (first) => {
          let model = first
          let text = first.text
          const results: Array<Omit<AddResult, "written">> = []
          for (const [index, item] of items.entries()) {
            const outcome = addToModel(model, item.fetched, item.options ?? {})
            if (Either.isLeft(outcome)) return Either.left(outcome.left)
            results.push(outcome.right.result)
            text = outcome.right.text
            // The next item needs the new text's offsets; after the last one, nobody does.
            if (outcome.right.changed && index < items.length - 1) {
              const next = parseSource(file, text)
              if (Either.isLeft(next)) return Either.left(next.left)
              model = next.right
            }
          }
          return Either.right({ text, result: results })
        })
      ).pipe(
        Effect.map(({ result, written }) =>
          result.map((entry) => ({
            ...entry,
            written: written && entry.action !== "unchanged" && entry.action !== "skipped"
          }))
        )
      )
    }

    const add: Service["add"] = (fetched, addOptions = {}) =>
      addMany(
        [{ fetched, options: addOptions }],
        addOptions.kubeconfig === undefined ? {} : { kubeconfig: addOptions.kubeconfig }
      ).pipe(Effect.map((results) => results[0]!))

    const remove: Service["remove"] = (selector, removeOptions = {}) => {
      if ("contexts" in selector && selector.contexts.length === 0) {
        return Effect.fail(new InvalidInput({ field: "contexts", detail: "no context named" }))
      }
      return editFile(removeOptions.kubeconfig, removeOptions.dryRun === true, (file, text) =>
        Either.map(parseSource(file, text), (model) => {
          const outcome = removeFromModel(model, selector)
          return { text: outcome.text, result: outcome.result }
        })
      ).pipe(Effect.map(({ path, result, written }) => ({ path, removed: result.removed, written })))
    }

    const loadChain = (explicit: string | undefined): Effect.Effect<ReadonlyArray<ChainFile>, KubeconfigError> =>
      Effect.forEach(resolve(explicit).readChain, (file) =>
        Effect.gen(function* () {
          if (!fs.existsSync(file)) {
            if (explicit !== undefined) {
              return yield* new KubeconfigUnreadable({ path: file, detail: "no such file" })
            }
            return undefined
          }
          const text = yield* readText(file)
          const model = yield* parseSource(file, text)
          return { path: file, data: model.data }
        })
      ).pipe(Effect.map((files) => files.filter((file): file is ChainFile => file !== undefined)))

    const inspect: Service["inspect"] = (inspectOptions = {}) =>
      Effect.map(loadChain(inspectOptions.kubeconfig), (files) => inspectChain(mergeChain(files)))

    const read: Service["read"] = (readOptions = {}) =>
      Effect.flatMap(loadChain(readOptions.kubeconfig), (files) => {
        const merged = mergeChain(files)
        const decoded = decodeDocumentEither(merged.data)
        return Either.isRight(decoded)
          ? Effect.succeed(decoded.right)
          : Effect.fail(
              new KubeconfigUnreadable({ path: files.map((file) => file.path).join(":"), detail: String(decoded.left) })
            )
      })

    return { add, addMany, remove, inspect, read }
  })

/** The store with defaults from `process.env` and the home directory. */
export const layer: Layer.Layer<KubeconfigStore> = Layer.effect(KubeconfigStore, make())
