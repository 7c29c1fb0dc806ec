/**
 * Merging a fetched kubeconfig into a kubeconfig file's text, and taking kubecred's entries out again.
 * Pure: text in, text out; the store adds locking and atomic writes around it.
 *
 * Only the entries that change are touched: new entries are spliced in as lines rendered in kubectl's style,
 * so comments, key order and every unrelated byte of the file stay as they were, and removing what an add
 * put in restores the original bytes. A list that was empty or absent gets a marker comment on its key line
 * (`users: # kubecred:was=" null"`) so that removing its last entry can restore exactly what was there.
 */
import type { FetchedKubeconfig } from "@kubecred/core/FetchedKubeconfig"
import { KubeconfigConflict, type KubeconfigError } from "@kubecred/core/KubecredError"
import { PROVENANCE_EXTENSION } from "@kubecred/core/Provenance"
import * as Either from "effect/Either"
import * as YAML from "yaml"
import { LIST_KEYS, type ListKey, type Marker, type SourceEntry, type SourceModel } from "./model.js"
import { parseSource } from "./source.js"
import { applyChange, type Change, type Entry, indexOf } from "./change.js"
import {
  canonical,
  encodeMarker,
  encodeProvenance,
  PREVIOUS_CONTEXT_EXTENSION,
  previousOf,
  provenanceOf,
  type Recorded,
  sameCluster
} from "./recorded.js"
import { invalid, type OwnAdditions, type Wanted, wantedEntries } from "./wanted.js"
import { entryName, firstFree, nameProblem } from "../Naming.js"

export { PREVIOUS_CONTEXT_EXTENSION, provenanceOf } from "./recorded.js"
export { namespaceProblem, proxyUrlProblem } from "./wanted.js"

/** Whether a fetched kubeconfig passes the allow-list (what `get` checks before it prints one). */
export const checkFetched = (fetched: FetchedKubeconfig): Either.Either<void, KubeconfigError> =>
  Either.map(wantedEntries(fetched, {}), () => undefined)

export type { ExecOptions } from "./wanted.js"

export interface AddOptions extends OwnAdditions {
  /** Explicit file; else KUBECONFIG rules. */
  readonly kubeconfig?: string | undefined
  /** Default `{provider}-{region}-{clusterId}` (+ `-private` for private endpoints). */
  readonly nameTemplate?: string | undefined
  /** Explicit name for context, cluster and user (overrides the template). */
  readonly contextName?: string | undefined
  /**
   * Default `fail` (KubeconfigConflict, nothing written). A conflict is a name taken by an entry kubecred did not
   * write for this cluster (a hand-written context, cluster or user, kubecred's entry for another cluster), or a
   * cluster or user of that name that another context uses. The same cluster fetched again is an update.
   */
  readonly onConflict?: "overwrite" | "rename" | "skip" | "fail"
  /** Default true. */
  readonly setCurrent?: boolean
  /** Nothing is written; the result carries a unified diff. */
  readonly dryRun?: boolean
}

export interface AddResult {
  readonly path: string
  readonly contextName: string
  readonly clusterName: string
  readonly userName: string
  readonly action: "added" | "updated" | "unchanged" | "skipped" | "renamed"
  readonly written: boolean
  /** The unified diff (secrets masked) of a dry run; `""` when the add was not one. */
  readonly diff: string
  readonly currentContext: string | undefined
}

export type RemoveSelector =
  | { readonly contexts: ReadonlyArray<string> }
  | { readonly provider: "tencent" | "alibaba"; readonly clusterId?: string; readonly region?: string }

export interface RemoveResult {
  /** The first file a context was taken out of (else the write target). */
  readonly path: string
  /** Context names removed, each once, in chain order. */
  readonly removed: ReadonlyArray<string>
  /** Every file each context was taken out of. */
  readonly locations: ReadonlyArray<{ readonly context: string; readonly path: string }>
  /** The files looked in: the KUBECONFIG chain's existing files, or the one file named. */
  readonly searched: ReadonlyArray<string>
  readonly written: boolean
}

/** What a removal did to one file's text. */
export interface FileRemoval {
  readonly path: string
  readonly removed: ReadonlyArray<string>
  readonly diff: string
}

/** The outcome of a merge on text: the new text (equal to the old one when nothing changed). */
export interface TextOutcome<A> {
  readonly text: string
  readonly changed: boolean
  readonly result: A
}

// ---------------------------------------------------------------------------------------------------------
// add

const contextBody = (wanted: Wanted, name: string, previous: Recorded | undefined, keep: Entry | undefined): Entry => {
  const extensions: Array<Entry> = [{ name: PROVENANCE_EXTENSION, extension: encodeProvenance(wanted.provenance) }]
  const kept = previousOf(keep)
  const own = previous?.own ?? kept?.own
  const other = previous?.other ?? kept?.other
  if (own !== undefined || other !== undefined) {
    extensions.push({
      name: PREVIOUS_CONTEXT_EXTENSION,
      extension: {
        ...(own === undefined ? {} : encodeMarker(own)),
        ...(other === undefined ? {} : { other: { file: other.file, ...encodeMarker(other.marker) } })
      }
    })
  }
  return {
    cluster: name,
    user: name,
    ...(wanted.namespace === undefined ? {} : { namespace: wanted.namespace }),
    extensions
  }
}

/**
 * Adds (or updates) the fetched cluster in a parsed file. With `currentIn`, the file whose `current-context`
 * kubectl obeys is another file of the KUBECONFIG chain: the switch is decided and recorded against that file's
 * value, and this file's own `current-context` is left alone (the caller sets it there, see `setCurrentInModel`).
 */
export const addToModel = (
  model: SourceModel,
  fetched: FetchedKubeconfig,
  options: AddOptions = {},
  currentIn: SourceModel = model
): Either.Either<TextOutcome<Omit<AddResult, "written">>, KubeconfigError> =>
  Either.gen(function* () {
    const wanted = yield* wantedEntries(fetched, options)
    const base = options.contextName ?? entryName(wanted.provenance, options.nameTemplate)
    const problem = nameProblem(base)
    if (problem !== undefined)
      return yield* Either.left(invalid(options.contextName ? "contextName" : "nameTemplate", problem))
    const index = indexOf(model)

    const entriesFor = (name: string, keep: Entry | undefined, previous: Recorded | undefined) => ({
      clusters: { cluster: wanted.cluster, name },
      users: { name, user: wanted.user },
      contexts: { context: contextBody(wanted, name, previous, keep), name }
    })
    type Verdict = "free" | "identical" | "same-cluster" | "conflict"
    /** Why writing `name` would change an entry kubecred does not own for this cluster, if it would. */
    const foreignUse = (name: string): string | undefined => {
      const context = index.contexts.get(name)?.value
      const provenance = provenanceOf(context)
      const ours = provenance !== undefined && sameCluster(provenance, wanted.provenance)
      if (context !== undefined && !ours) {
        return provenance === undefined
          ? `context "${name}" exists and kubecred did not write it`
          : `context "${name}" is kubecred's entry for another cluster (${provenance.provider} ${provenance.clusterId})`
      }
      for (const [key, field] of [
        ["clusters", "cluster"],
        ["users", "user"]
      ] as const) {
        if (!index[key].has(name)) continue
        const body = context?.context as Record<string, unknown> | undefined
        if (!ours || body?.[field] !== name) return `${field} "${name}" exists and kubecred did not write it`
        const other = model.lists.contexts.entries.find(
          (entry) =>
            entry.name !== name && (entry.value.context as Record<string, unknown> | undefined)?.[field] === name
        )
        if (other !== undefined) return `${field} "${name}" is also used by context "${other.name}"`
      }
      return undefined
    }
    const verdict = (name: string): Verdict => {
      const existing = LIST_KEYS.map((key) => index[key].get(name))
      if (existing.every((entry) => entry === undefined)) return "free"
      const context = index.contexts.get(name)?.value
      const desired = entriesFor(name, context, undefined)
      if (
        LIST_KEYS.every(
          (key, n) => existing[n] !== undefined && canonical(existing[n]!.value) === canonical(desired[key])
        )
      ) {
        return "identical"
      }
      return foreignUse(name) === undefined ? "same-cluster" : "conflict"
    }

    let name = base
    let state = verdict(base)
    let renamed = false
    if (state === "conflict") {
      const policy = options.onConflict ?? "fail"
      if (policy === "fail") {
        return yield* Either.left(
          new KubeconfigConflict({ path: model.path, name: base, detail: foreignUse(base) ?? `"${base}" is taken` })
        )
      }
      if (policy === "skip") {
        return {
          text: model.text,
          changed: false,
          result: {
            path: model.path,
            contextName: base,
            clusterName: base,
            userName: base,
            action: "skipped" as const,
            diff: "",
            currentContext: currentIn.currentContext.value
          }
        }
      }
      if (policy === "rename") {
        name = firstFree(base, (candidate) => verdict(candidate) !== "conflict")
        state = verdict(name)
        renamed = true
      }
    }
    const setCurrent = options.setCurrent ?? true
    const currentValue = currentIn.currentContext.value
    const switching = setCurrent && currentValue !== name
    const replaced: Marker = currentIn.currentContext.present
      ? {
          _tag: "text",
          text: currentIn.text.slice(currentIn.currentContext.colonEnd, currentIn.currentContext.valueEnd)
        }
      : { _tag: "absent" }
    const previous: Recorded | undefined = !switching
      ? undefined
      : currentIn === model
        ? { own: replaced }
        : { other: { file: currentIn.path, marker: replaced } }
    const existingContext = index.contexts.get(name)?.value
    const entries = entriesFor(name, existingContext, previous)
    const unchanged = state === "identical" && !switching
    const action: AddResult["action"] = renamed
      ? "renamed"
      : state === "free"
        ? "added"
        : unchanged
          ? "unchanged"
          : "updated"
    const newCurrent = switching ? name : currentValue
    if (unchanged) {
      return {
        text: model.text,
        changed: false,
        result: {
          path: model.path,
          contextName: name,
          clusterName: name,
          userName: name,
          action,
          diff: "",
          currentContext: newCurrent
        }
      }
    }
    const upsert: Partial<Record<ListKey, Entry>> = {}
    for (const key of LIST_KEYS) {
      const existing = index[key].get(name)
      if (state !== "identical" || existing === undefined || canonical(existing.value) !== canonical(entries[key])) {
        upsert[key] = entries[key]
      }
    }
    // An identical entry that only gains the current-context record is rewritten too.
    if (switching) upsert.contexts = entries.contexts
    const { text, diff } = applyChange(
      model,
      { upsert, remove: {}, current: switching && currentIn === model ? { _tag: "set", name } : undefined },
      options.dryRun === true
    )
    return {
      text,
      changed: text !== model.text,
      result: {
        path: model.path,
        contextName: name,
        clusterName: name,
        userName: name,
        action,
        diff,
        currentContext: newCurrent
      }
    }
  })

/** Points `current-context` of a parsed file at `name` (the other half of an add with `currentIn`). */
export const setCurrentInModel = (
  model: SourceModel,
  name: string,
  withDiff = true
): TextOutcome<{ readonly diff: string }> => {
  if (model.currentContext.value === name) return { text: model.text, changed: false, result: { diff: "" } }
  const { text, diff } = applyChange(model, { upsert: {}, remove: {}, current: { _tag: "set", name } }, withDiff)
  return { text, changed: text !== model.text, result: { diff } }
}

/** Adds the fetched cluster to a kubeconfig's text (`path` is for messages and the diff header). */
export const addToText = (
  path: string,
  text: string,
  fetched: FetchedKubeconfig,
  options: AddOptions = {}
): Either.Either<TextOutcome<Omit<AddResult, "written">>, KubeconfigError> =>
  Either.flatMap(parseSource(path, text), (model) => addToModel(model, fetched, options))

// ---------------------------------------------------------------------------------------------------------
// remove

const matchesSelector = (selector: RemoveSelector, entry: SourceEntry): boolean => {
  if ("contexts" in selector) return selector.contexts.includes(entry.name)
  const provenance = provenanceOf(entry.value)
  return (
    provenance !== undefined &&
    provenance.provider === selector.provider &&
    (selector.clusterId === undefined || provenance.clusterId === selector.clusterId) &&
    (selector.region === undefined || provenance.region === selector.region)
  )
}

/** The contexts of a parsed file that a selector picks. */
export const selectedContexts = (model: SourceModel, selector: RemoveSelector): ReadonlyArray<SourceEntry> =>
  model.lists.contexts.entries.filter((entry) => matchesSelector(selector, entry))

/** What the same removal does in the other files of a KUBECONFIG chain. */
export interface ElsewhereInChain {
  /** Contexts taken out of the other files (their recorded previous current-context counts here too). */
  readonly gone: ReadonlyArray<SourceEntry>
  /** Whether a context of this name stays in another file. */
  readonly stays: (name: string) => boolean
}

/**
 * Removes contexts, and their users and clusters when no remaining context uses them. With `elsewhere`, a
 * `current-context` of this file that names a context removed from another file of the chain is restored too.
 */
export const removeFromModel = (
  model: SourceModel,
  selector: RemoveSelector,
  elsewhere: ElsewhereInChain = { gone: [], stays: () => false }
): TextOutcome<FileRemoval> => {
  const contexts = model.lists.contexts.entries
  const gone = selectedContexts(model, selector)
  const goneNames = new Set(gone.map((entry) => entry.name))
  const current = model.currentContext.value
  const currentGoneElsewhere =
    current !== undefined && !goneNames.has(current) && elsewhere.gone.some((entry) => entry.name === current)
  if (gone.length === 0 && !currentGoneElsewhere) {
    return { text: model.text, changed: false, result: { path: model.path, removed: [], diff: "" } }
  }
  const staying = contexts.filter((entry) => !goneNames.has(entry.name))
  const used = (field: "cluster" | "user") =>
    new Set(staying.map((entry) => (entry.value.context as Record<string, unknown> | undefined)?.[field] as string))
  const orphans = (field: "cluster" | "user") => {
    const stillUsed = used(field)
    return new Set(
      gone
        .map((entry) => (entry.value.context as Record<string, unknown> | undefined)?.[field] as string)
        .filter((name) => typeof name === "string" && !stillUsed.has(name))
    )
  }
  // A recorded current-context is restored only in the file it was taken from: the context's own file, or the
  // chain file its `other` record names.
  const was = [...gone, ...elsewhere.gone]
    .filter((entry) => current !== undefined && entry.name === current)
    .map((entry) => {
      const recorded = previousOf(entry.value)
      return gone.includes(entry)
        ? recorded?.own
        : recorded?.other?.file === model.path
          ? recorded.other.marker
          : undefined
    })
    .find((marker) => marker !== undefined)
  const restoreTo = (): Change["current"] => {
    if (was === undefined) return undefined
    if (was._tag === "absent") return { _tag: "restore", was }
    const value = YAML.parse(was.text) as unknown
    const stillThere =
      typeof value !== "string" ||
      value === "" ||
      staying.some((entry) => entry.name === value) ||
      elsewhere.stays(value)
    return { _tag: "restore", was: stillThere ? was : { _tag: "text", text: ' ""' } }
  }
  const change: Change = {
    upsert: {},
    remove: { contexts: goneNames, clusters: orphans("cluster"), users: orphans("user") },
    current: restoreTo()
  }
  const { text, diff } = applyChange(model, change)
  return { text, changed: text !== model.text, result: { path: model.path, removed: [...goneNames], diff } }
}

export const removeFromText = (
  path: string,
  text: string,
  selector: RemoveSelector
): Either.Either<TextOutcome<FileRemoval>, KubeconfigError> =>
  Either.map(parseSource(path, text), (model) => removeFromModel(model, selector))
