/**
 * One change to a kubeconfig, applied either by splicing the file's text (entries rendered in kubectl's style,
 * every other byte kept) or, for files that are re-rendered whole (JSON, flow style, new files), on plain data.
 */
import * as YAML from "yaml"
import { unifiedDiff } from "./diff.js"
import { renderDocument, renderItem, renderScalar } from "./render.js"
import { applySplices, insertLines, normalizeSplices, removeLines, type Splice } from "./splice.js"
import { LIST_KEYS, type ListKey, type Marker, renderMarker, type SourceEntry, type SourceModel } from "./model.js"

export type Entry = Record<string, unknown>

export type Index = Record<ListKey, Map<string, SourceEntry>>

export const indexOf = (model: SourceModel): Index => {
  const index = {} as Index
  for (const key of LIST_KEYS) {
    const byName = new Map<string, SourceEntry>()
    for (const entry of model.lists[key].entries) if (!byName.has(entry.name)) byName.set(entry.name, entry)
    index[key] = byName
  }
  return index
}

export interface Change {
  /** Entries to write, by list; replaces an entry of the same name or is added. */
  readonly upsert: Partial<Record<ListKey, Entry>>
  /** Entry names to delete, by list. */
  readonly remove: Partial<Record<ListKey, ReadonlySet<string>>>
  /** New current-context: a name to set, a recorded previous value to restore, or nothing. */
  readonly current:
    | { readonly _tag: "set"; readonly name: string }
    | { readonly _tag: "restore"; readonly was: Marker }
    | undefined
}

/** Taking out every entry of a list: restore what the marker says was there, else leave `key: []`. */
const emptyListSplices = (model: SourceModel, key: ListKey, entries: ReadonlyArray<SourceEntry>): Array<Splice> => {
  const list = model.lists[key]
  const first = entries[0]!
  const last = entries[entries.length - 1]!
  const marker = list.marker
  if (marker?.was._tag === "absent") return [removeLines(list.keyLineStart, last.end)]
  const head: Splice =
    marker === undefined
      ? { start: list.colonEnd, end: list.colonEnd, text: " []" }
      : { start: list.colonEnd, end: marker.at + marker.length, text: marker.was.text }
  return [head, removeLines(first.start, last.end)]
}

/** The splices that make `change` on a file edited in place. */
const spliceChange = (model: SourceModel, index: Index, change: Change): Array<Splice> => {
  const { text, newline } = model
  const pad = " ".repeat(model.topIndent)
  const splices: Array<Splice> = []
  const atTopEnd: Array<string> = []
  for (const key of LIST_KEYS) {
    const list = model.lists[key]
    const removing = change.remove[key]
    if (removing !== undefined && removing.size > 0) {
      const gone = list.entries.filter((entry) => removing.has(entry.name))
      if (gone.length > 0 && gone.length === list.entries.length && change.upsert[key] === undefined) {
        splices.push(...emptyListSplices(model, key, gone))
      } else {
        for (const entry of gone) splices.push(removeLines(entry.start, entry.end))
      }
    }
    const value = change.upsert[key]
    if (value === undefined) continue
    const existing = index[key].get(value.name as string)
    if (existing !== undefined) {
      const rendered = renderItem(value, list.indent, newline)
      const endsWithNewline = text.charCodeAt(existing.end - 1) === 10
      splices.push({
        start: existing.start,
        end: existing.end,
        text: endsWithNewline ? rendered : rendered.slice(0, rendered.length - newline.length)
      })
    } else if (list.kind === "block") {
      splices.push(insertLines(text, list.insertAt, renderItem(value, list.indent, newline), newline))
    } else if (list.kind === "empty") {
      const was = text.slice(list.colonEnd, list.valueEnd)
      splices.push({
        start: list.colonEnd,
        end: list.valueEnd,
        text: ` ${renderMarker({ _tag: "text", text: was })}`
      })
      splices.push(insertLines(text, list.keyLineEnd, renderItem(value, model.topIndent, newline), newline))
    } else {
      atTopEnd.push(
        `${pad}${key}: ${renderMarker({ _tag: "absent" })}${newline}${renderItem(value, model.topIndent, newline)}`
      )
    }
  }
  const current = model.currentContext
  if (change.current?._tag === "set") {
    if (current.present) {
      splices.push({ start: current.colonEnd, end: current.valueEnd, text: ` ${renderScalar(change.current.name)}` })
    } else {
      atTopEnd.push(`${pad}current-context: ${renderScalar(change.current.name)}${newline}`)
    }
  } else if (change.current?._tag === "restore" && current.present) {
    const was = change.current.was
    splices.push(
      was._tag === "absent"
        ? removeLines(current.keyLineStart, current.lineEnd)
        : { start: current.colonEnd, end: current.valueEnd, text: was.text }
    )
  }
  if (atTopEnd.length > 0) splices.push(insertLines(text, model.topEnd, atTopEnd.join(""), newline))
  return splices
}

/** The same change on plain data, for files that are re-rendered whole (JSON, flow style, new files). */
const dataChange = (model: SourceModel, change: Change): Record<string, unknown> => {
  const data: Record<string, unknown> =
    model.mode === "empty" ? { apiVersion: "v1", kind: "Config", preferences: {} } : { ...model.data }
  for (const key of LIST_KEYS) {
    let entries = Array.isArray(data[key]) ? [...(data[key] as Array<Entry>)] : []
    const removing = change.remove[key]
    if (removing !== undefined) entries = entries.filter((entry) => !removing.has(entry.name as string))
    const value = change.upsert[key]
    if (value !== undefined) {
      const at = entries.findIndex((entry) => entry.name === value.name)
      if (at === -1) entries.push(value)
      else entries[at] = value
    }
    if (entries.length > 0 || data[key] !== undefined) data[key] = entries.length > 0 ? entries : null
  }
  if (change.current?._tag === "set") data["current-context"] = change.current.name
  if (change.current?._tag === "restore") {
    const was = change.current.was
    if (was._tag === "absent") delete data["current-context"]
    else data["current-context"] = (YAML.parse(was.text) as unknown) ?? ""
  }
  return data
}

/**
 * The new text, and the unified diff when `withDiff` (a dry run shows it; a write does not pay for diffing and
 * redacting, which parse the YAML again): `""` otherwise.
 */
export const applyChange = (
  model: SourceModel,
  change: Change,
  withDiff = true
): { readonly text: string; readonly diff: string } => {
  if (model.mode === "splice") {
    const splices = normalizeSplices(model.text, spliceChange(model, indexOf(model), change), model.newline)
    const entries = LIST_KEYS.flatMap((key) =>
      model.lists[key].entries.map((entry) => [entry.start, entry.end] as const)
    )
    const text = applySplices(model.text, splices)
    return { text, diff: withDiff ? unifiedDiff(model.path, model.text, splices, entries) : "" }
  }
  const prefix = model.mode === "empty" && model.text.trim() !== "" ? model.text.replace(/\n?$/, "\n") : ""
  const rendered = prefix + renderDocument(dataChange(model, change))
  const splices = [{ start: 0, end: model.text.length, text: rendered }]
  return { text: rendered, diff: withDiff ? unifiedDiff(model.path, model.text, splices) : "" }
}
