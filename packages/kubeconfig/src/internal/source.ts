/**
 * A kubeconfig file as text plus where each entry sits in it. Edits are made by splicing the text at these
 * offsets, so every byte we do not change (comments, key order, quoting, blank lines) stays as it was.
 *
 * Parsing uses `yaml`'s Document API with the YAML 1.2 core schema: kubectl's go-yaml resolves more plain
 * scalars (`yes`, `on`) as booleans but then turns them back into strings for string fields, so reading them
 * as strings is what kubectl effectively does.
 * A file that does not parse, or does not have a kubeconfig's shape, gives KubeconfigUnreadable with the
 * line and column of the first problem; such a file is never written.
 */
import { KubeconfigUnreadable } from "@kubecred/core/KubecredError"
import { isKubeconfigShape, schemas } from "@kubecred/core/KubeconfigDocument"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as YAML from "yaml"
import { fastScan } from "./fastScan.js"
import {
  absentList,
  absentScalar,
  findMarker,
  LIST_KEYS,
  type ListKey,
  lineEndAfter,
  lineStartOf,
  type SourceEntry,
  type SourceList,
  type SourceModel
} from "./model.js"

const unreadable = (path: string, detail: string, lineCounter: YAML.LineCounter, pos: number | undefined) => {
  if (pos === undefined) return new KubeconfigUnreadable({ path, detail })
  const at = lineCounter.linePos(pos)
  return new KubeconfigUnreadable({ path, detail, line: at.line, column: at.col })
}

/** The kubeconfig schema's encoded side: the same checks, without building Redacted values we do not keep. */
let encodedCheck: ((data: unknown) => Either.Either<unknown, ParseResult.ParseError>) | undefined
const checkDocument = (data: unknown) => {
  // built the first time a file needs its problem located (the shape check answers every good file)
  encodedCheck ??= Schema.decodeUnknownEither(Schema.encodedSchema(schemas().KubeconfigDocument), {
    onExcessProperty: "preserve"
  })
  return encodedCheck(data)
}

/** Checks plain data against the kubeconfig schema; the first problem, with where it is when we know. */
const validate = (
  path: string,
  data: unknown,
  locate: (at: ReadonlyArray<PropertyKey>) => number | undefined,
  lineCounter: YAML.LineCounter
): KubeconfigUnreadable | undefined => {
  const decoded = checkDocument(data)
  if (Either.isRight(decoded)) return undefined
  const issues = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
  const first = issues[0]
  const where = first === undefined ? "" : first.path.map(String).join(".")
  const detail = `not a kubeconfig: ${where === "" ? "" : `${where}: `}${first?.message ?? "invalid"}`
  let pos: number | undefined
  if (first !== undefined) {
    for (let n = first.path.length; n > 0 && pos === undefined; n--) pos = locate(first.path.slice(0, n))
  }
  return unreadable(path, detail, lineCounter, pos)
}

const isEmptyValue = (node: unknown): boolean =>
  node === null ||
  (YAML.isScalar(node) && node.value === null) ||
  (YAML.isSeq(node) && node.flow === true && node.items.length === 0)

/** A model with no entries and nothing at the top: what an empty file, `null` or `{}` reads as. */
const emptyModelOf = (
  path: string,
  text: string,
  newline: string,
  mode: SourceModel["mode"],
  data: Record<string, unknown>
): SourceModel => ({
  path,
  text,
  newline,
  mode,
  data,
  lists: {
    clusters: absentList("clusters", text.length),
    users: absentList("users", text.length),
    contexts: absentList("contexts", text.length)
  },
  currentContext: absentScalar(text.length),
  topEnd: text.length,
  topIndent: 0
})

/**
 * Parses a kubeconfig file's text. Empty text (or comments only) is an empty kubeconfig. Files in kubectl's
 * plain style take the fast line scanner; everything else, and anything it doubts, the Document API.
 */
export const parseSource = (path: string, text: string): Either.Either<SourceModel, KubeconfigUnreadable> => {
  // a file that does not exist yet reads as "": no need to run a YAML parser for that
  if (text === "") return Either.right(emptyModelOf(path, text, "\n", "empty", {}))
  const fast = fastScan(path, text)
  if (fast !== undefined && isKubeconfigShape(fast.data)) return Either.right(fast)
  return parseDocumentSource(path, text)
}

/** The Document API path: all of YAML, errors with line and column. */
export const parseDocumentSource = (path: string, text: string): Either.Either<SourceModel, KubeconfigUnreadable> => {
  const newline = text.includes("\r\n") ? "\r\n" : "\n"
  const lineCounter = new YAML.LineCounter()
  const doc = YAML.parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false })
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!
    const at = lineCounter.linePos(error.pos[0])
    return Either.left(
      new KubeconfigUnreadable({
        path,
        detail: `invalid YAML: ${error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`,
        line: at.line,
        column: at.col
      })
    )
  }
  const contents = doc.contents
  const emptyModel = (mode: SourceModel["mode"], data: Record<string, unknown>) =>
    emptyModelOf(path, text, newline, mode, data)
  if (contents === null || (YAML.isScalar(contents) && contents.value === null)) {
    return Either.right(emptyModel("empty", {}))
  }
  const data = doc.toJS({ maxAliasCount: 10_000 }) as unknown
  const locate = (at: ReadonlyArray<PropertyKey>): number | undefined => {
    const node = doc.getIn(at as Array<unknown>, true) as YAML.Node | undefined
    return node?.range?.[0]
  }
  if (!YAML.isMap(contents) || typeof data !== "object" || data === null || Array.isArray(data)) {
    return Either.left(
      unreadable(path, "not a kubeconfig: the top level is not a mapping", lineCounter, contents.range?.[0])
    )
  }
  const invalid = validate(path, data, locate, lineCounter)
  if (invalid !== undefined) return Either.left(invalid)
  const record = data as Record<string, unknown>
  if (contents.flow === true) return Either.right({ ...emptyModel("render", record), commented: hasComments(text) })

  const topEnd = lineEndAfter(text, contents.range![1])
  const firstKey = contents.items[0]?.key as YAML.Node | undefined
  const topIndent = firstKey?.range ? firstKey.range[0] - lineStartOf(text, firstKey.range[0]) : 0
  let mode: SourceModel["mode"] = "splice"
  const lists = {} as Record<ListKey, SourceList>
  let currentContext = absentScalar(topEnd)
  for (const pair of contents.items) {
    const key = pair.key as YAML.Node
    const keyName = YAML.isScalar(key) ? key.value : undefined
    const keyEnd = key.range![1]
    const colonEnd = text.indexOf(":", keyEnd) + 1
    const keyLineStart = lineStartOf(text, key.range![0])
    const value = pair.value as YAML.Node | null
    if (keyName === "current-context") {
      const valueEnd = value?.range?.[1] ?? colonEnd
      const scalar = value !== null && YAML.isScalar(value) ? value.value : undefined
      currentContext = {
        present: true,
        value: typeof scalar === "string" ? scalar : undefined,
        keyLineStart,
        colonEnd,
        valueEnd,
        lineEnd: lineEndAfter(text, valueEnd)
      }
      continue
    }
    if (keyName !== "clusters" && keyName !== "users" && keyName !== "contexts") continue
    const listKey = keyName as ListKey
    if (isEmptyValue(value)) {
      const valueEnd = value?.range?.[1] ?? colonEnd
      lists[listKey] = {
        key: listKey,
        kind: "empty",
        entries: [],
        indent: topIndent,
        insertAt: valueEnd,
        keyLineStart,
        colonEnd,
        valueEnd: Math.max(valueEnd, colonEnd),
        keyLineEnd: lineEndAfter(text, Math.max(valueEnd, colonEnd)),
        marker: undefined
      }
      continue
    }
    const seq = value as YAML.YAMLSeq
    const items = (record[listKey] as Array<Record<string, unknown>>) ?? []
    if (seq.flow === true) {
      mode = "render"
      lists[listKey] = { ...absentList(listKey, topEnd), kind: "flow", entries: entriesOf(items, [], text) }
      continue
    }
    const seqStart = seq.range![0]
    const indent = seqStart - lineStartOf(text, seqStart)
    const entries = entriesOf(items, seq.items as Array<YAML.Node>, text)
    const marker = findMarker(text, colonEnd, lineEndAfter(text, colonEnd))
    lists[listKey] = {
      key: listKey,
      kind: "block",
      entries,
      indent,
      insertAt: entries.length > 0 ? entries[entries.length - 1]!.end : lineEndAfter(text, seqStart),
      keyLineStart,
      colonEnd,
      valueEnd: colonEnd,
      keyLineEnd: lineEndAfter(text, colonEnd),
      marker
    }
  }
  for (const listKey of LIST_KEYS) {
    if (lists[listKey] === undefined) lists[listKey] = absentList(listKey, topEnd)
  }
  return Either.right({
    path,
    text,
    newline,
    mode,
    data: record,
    lists,
    currentContext,
    topEnd,
    topIndent,
    ...(mode === "render" ? { commented: hasComments(text) } : {})
  })
}

/** Whether YAML text holds a comment (a `#` token of the lexer, never one inside a quoted or plain scalar). */
const hasComments = (text: string): boolean => {
  for (const token of new YAML.Lexer().lex(text)) if (token.startsWith("#")) return true
  return false
}

const entriesOf = (
  items: ReadonlyArray<Record<string, unknown>>,
  nodes: ReadonlyArray<YAML.Node>,
  text: string
): Array<SourceEntry> =>
  items.map((value, index) => {
    const node = nodes[index]
    const start = node?.range ? lineStartOf(text, node.range[0]) : 0
    const end = node?.range ? lineEndAfter(text, node.range[1]) : 0
    return { name: value.name as string, start, end, value }
  })
