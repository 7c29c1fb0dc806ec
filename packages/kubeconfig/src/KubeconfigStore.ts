/**
 * The kubeconfig engine as a service: merge fetched kubeconfigs into the files kubectl would write, remove
 * kubecred's entries, and inspect or read the chain kubectl reads. As in kubectl, an entry already defined in
 * the KUBECONFIG chain is updated in the file that defines it, a new one goes to the write target, and a
 * removal takes the context out of every file that has it. Every write holds kubectl's `<file>.lock` on each
 * file of the chain and replaces each changed file atomically (temp file, fsync, rename; mode 0600).
 */
import type { FetchedKubeconfig } from "@kubecred/core/FetchedKubeconfig"
import { decodeDocumentEither, type KubeconfigDocument } from "@kubecred/core/KubeconfigDocument"
import { InvalidInput, type KubeconfigError, KubeconfigUnreadable } from "@kubecred/core/KubecredError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as fs from "node:fs"
import { indexOf } from "./internal/change.js"
import { chainFiles, changeChain } from "./internal/chainChange.js"
import { unifiedDiff } from "./internal/diff.js"
import { readKubeconfig } from "./internal/regularFile.js"
import { parseSource } from "./internal/source.js"
import { type ContextStatus, inspectChain } from "./Inspect.js"
import { type ChainFile, mergeChain } from "./internal/mergedChain.js"
import * as KubeconfigPaths from "./KubeconfigPaths.js"
import {
  type AddOptions,
  type AddResult,
  addToModel,
  type RemoveResult,
  type RemoveSelector,
  removeFromModel,
  selectedContexts,
  setCurrentInModel
} from "./internal/merge.js"
import { entryName } from "./Naming.js"

export type { AddOptions, AddResult, ExecOptions, RemoveResult, RemoveSelector } from "./internal/merge.js"
export { ALLOWED_CLUSTER_FIELDS, ALLOWED_USER_FIELDS } from "@kubecred/core/AllowedKubeconfig"
export { checkFetched, namespaceProblem, proxyUrlProblem } from "./internal/merge.js"
export type { ContextStatus } from "./Inspect.js"

export interface Service {
  readonly add: (fetched: FetchedKubeconfig, options?: AddOptions) => Effect.Effect<AddResult, KubeconfigError>
  /**
   * One lock and one write for many clusters (bulk sync). In a dry run of several items, each file's diff is its
   * whole change, carried by the first item that changes it (the others' `diff` is `""`), as `git diff` shows it.
   */
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

    /** The files a change of the chain takes part in (one file with an explicit path). */
    const filesFor = (explicit: string | undefined) => {
      const resolved = resolve(explicit)
      return { target: resolved.writeTarget, files: chainFiles(resolved.readChain, resolved.writeTarget) }
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
      const chain = filesFor(explicit)
      return changeChain(chain.files, chain.target, dryRun, lockOptions, (read) =>
        Either.gen(function* () {
          const models = new Map(read.models.map((model) => [model.path, model]))
          const texts = new Map<string, string>()
          const results: Array<Omit<AddResult, "written">> = []
          /** Each changed file, and the first item that changed it. */
          const firstChange = new Map<string, number>()
          // A changed file is parsed again only when a later item needs its offsets (never after the last).
          const stale = new Set<string>()
          const modelOf = (file: string) =>
            Either.gen(function* () {
              if (stale.has(file)) {
                models.set(file, yield* parseSource(file, texts.get(file)!))
                stale.delete(file)
              }
              return models.get(file)!
            })
          const update = (file: string, text: string) => {
            texts.set(file, text)
            stale.add(file)
          }
          // several items of a dry run get one diff per file at the end, not one per item on the way
          const combine = dryRun && items.length > 1
          for (const item of items) {
            const options = combine ? { ...item.options, dryRun: false } : (item.options ?? {})
            // Like kubectl, an entry already defined somewhere in the chain is updated in the file defining it
            // (the first one: that is the definition kubectl uses); a new one goes to the write target, which
            // is the first file that exists, so the current-context set there is the one kubectl obeys.
            const name = options.contextName ?? entryName(item.fetched.provenance, options.nameTemplate)
            let destination = read.target
            for (const { path } of read.models) {
              if (indexOf(yield* modelOf(path)).contexts.has(name)) {
                destination = path
                break
              }
            }
            const target = yield* modelOf(read.target)
            const outcome = yield* addToModel(yield* modelOf(destination), item.fetched, options, target)
            let diff = outcome.result.diff
            if (outcome.changed) update(destination, outcome.text)
            if (destination !== read.target && outcome.result.currentContext !== undefined) {
              const current = setCurrentInModel(target, outcome.result.currentContext, options.dryRun === true)
              if (current.changed) update(read.target, current.text)
              diff += current.result.diff
            }
            results.push({ ...outcome.result, diff })
            for (const file of [destination, read.target])
              if (texts.has(file) && !firstChange.has(file)) firstChange.set(file, results.length - 1)
          }
          if (combine) {
            // one diff per file, from its text before the first item to its text after the last
            const combined = results.map((result) => ({ ...result, diff: "" }))
            for (const [file, index] of firstChange) {
              const before = read.models.find((model) => model.path === file)?.text ?? ""
              const after = texts.get(file)!
              const diff = unifiedDiff(file, before, [{ start: 0, end: before.length, text: after }])
              combined[index] = { ...combined[index]!, diff: combined[index]!.diff + diff }
            }
            return { texts, result: combined }
          }
          return { texts, result: results }
        })
      ).pipe(
        Effect.map(({ result, written }) =>
          result.map((entry) => ({
            ...entry,
            written: written.includes(entry.path) && entry.action !== "unchanged" && entry.action !== "skipped"
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
      const chain = filesFor(removeOptions.kubeconfig)
      return changeChain(chain.files, chain.target, removeOptions.dryRun === true, lockOptions, (read) => {
        // Taken out of every file of the chain that has it: kubectl would otherwise show the next definition.
        const gone = read.models.map((model) => selectedContexts(model, selector))
        const texts = new Map<string, string>()
        const locations: Array<{ readonly context: string; readonly path: string }> = []
        for (const [i, model] of read.models.entries()) {
          const outcome = removeFromModel(model, selector, {
            gone: gone.filter((_, j) => j !== i).flat(),
            stays: (name) =>
              read.models.some(
                (other, j) =>
                  j !== i &&
                  other.lists.contexts.entries.some((entry) => entry.name === name && !gone[j]!.includes(entry))
              )
          })
          if (outcome.changed) texts.set(model.path, outcome.text)
          for (const context of outcome.result.removed) locations.push({ context, path: model.path })
        }
        const removed = [...new Set(locations.map((location) => location.context))]
        return Either.right({
          texts,
          result: { path: locations[0]?.path ?? read.target, removed, locations, searched: chain.files }
        })
      }).pipe(Effect.map(({ result, written }) => ({ ...result, written: written.length > 0 })))
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
          const { text } = yield* readKubeconfig(file)
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
