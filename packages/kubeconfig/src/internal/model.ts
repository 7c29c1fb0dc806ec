/**
 * The model of a kubeconfig file that edits work on: its text, where each entry and list sits in it, and the
 * marker comment kubecred leaves on a list it first filled. Built by the Document API parser (source.ts) or the
 * fast line scanner (fastScan.ts); read by the splicer (change.ts).
 */
export type ListKey = "clusters" | "users" | "contexts"
export const LIST_KEYS: ReadonlyArray<ListKey> = ["clusters", "contexts", "users"]
/** The field that holds an entry's body, per list. */
export const BODY_KEY: Record<ListKey, "cluster" | "user" | "context"> = {
  clusters: "cluster",
  users: "user",
  contexts: "context"
}

export interface SourceEntry {
  readonly name: string
  /** Start of the entry's first line (its `- `). */
  readonly start: number
  /** End of its last line, newline included when there is one. */
  readonly end: number
  /** The entry as plain data (`{name, cluster: {...}}`). */
  readonly value: Record<string, unknown>
}

export interface SourceList {
  readonly key: ListKey
  /**
   * block: a block sequence with entries; empty: `key: null | [] | ~ |` (nothing); absent: no such key;
   * flow: a non-empty flow sequence (`[{...}]`), which is edited by re-rendering the whole file.
   */
  readonly kind: "block" | "empty" | "absent" | "flow"
  readonly entries: ReadonlyArray<SourceEntry>
  /** Column of the `-` of block entries. */
  readonly indent: number
  /** Where a new block entry goes: the end of the last entry. */
  readonly insertAt: number
  /** Start of the key's line (block, empty). */
  readonly keyLineStart: number
  /** Just after the key's `:` (block, empty). */
  readonly colonEnd: number
  /** End of the empty value's text (empty). */
  readonly valueEnd: number
  /** End of the key's line, newline included (empty); where the first entry goes. */
  readonly keyLineEnd: number
  /** What the list was before kubecred first filled it: the marker comment on the key's line. */
  readonly marker: { readonly at: number; readonly length: number; readonly was: Marker } | undefined
}

/** `absent`: the key did not exist; otherwise the exact text that followed the key's `:`. */
export type Marker = { readonly _tag: "absent" } | { readonly _tag: "text"; readonly text: string }

export interface SourceScalar {
  readonly present: boolean
  readonly value: string | undefined
  readonly keyLineStart: number
  readonly colonEnd: number
  readonly valueEnd: number
  /** End of the key's line, newline included. */
  readonly lineEnd: number
}

export interface SourceModel {
  readonly path: string
  readonly text: string
  readonly newline: string
  /**
   * splice: a block mapping at the top, edited in place; empty: no content at all (new or comment-only file);
   * render: anything else kubectl accepts (JSON, flow style), edited by rendering the whole file again.
   */
  readonly mode: "splice" | "empty" | "render"
  /** Whether the text has comments (then a "render" file is refused rather than re-rendered without them). */
  readonly commented?: boolean
  /** The whole document as plain data; validated against the kubeconfig schema. */
  readonly data: Record<string, unknown>
  readonly lists: Record<ListKey, SourceList>
  readonly currentContext: SourceScalar
  /** Where a new top-level key goes (the end of the top mapping) and its indentation. */
  readonly topEnd: number
  readonly topIndent: number
}

export const MARKER_PREFIX = "# kubecred:was="

const markerRegex = /# kubecred:was=(absent|"(?:[^"\\]|\\.)*")/

/** Finds kubecred's marker in `text` from `from` to `to` (the key's line after its `:`). */
export const findMarker = (text: string, from: number, to: number): SourceList["marker"] => {
  const match = markerRegex.exec(text.slice(from, to))
  if (match === null) return undefined
  const at = from + match.index
  if (match[1] === "absent") return { at, length: match[0].length, was: { _tag: "absent" } }
  try {
    return { at, length: match[0].length, was: { _tag: "text", text: JSON.parse(match[1]!) as string } }
  } catch {
    return undefined
  }
}

export const renderMarker = (marker: Marker): string =>
  MARKER_PREFIX + (marker._tag === "absent" ? "absent" : JSON.stringify(marker.text))

export const lineStartOf = (text: string, pos: number): number => text.lastIndexOf("\n", pos - 1) + 1

/** The end of the line that `pos` is on (or, when `pos` follows a newline, `pos` itself). */
export const lineEndAfter = (text: string, pos: number): number => {
  if (pos > 0 && text.charCodeAt(pos - 1) === 10) return pos
  const index = text.indexOf("\n", pos)
  return index === -1 ? text.length : index + 1
}

/** A list the file does not have; an entry added to it goes at the end of the top-level mapping. */
export const absentList = (key: ListKey, topEnd: number): SourceList => ({
  key,
  kind: "absent",
  entries: [],
  indent: 0,
  insertAt: topEnd,
  keyLineStart: topEnd,
  colonEnd: topEnd,
  valueEnd: topEnd,
  keyLineEnd: topEnd,
  marker: undefined
})

export const absentScalar = (topEnd: number): SourceScalar => ({
  present: false,
  value: undefined,
  keyLineStart: topEnd,
  colonEnd: topEnd,
  valueEnd: topEnd,
  lineEnd: topEnd
})
