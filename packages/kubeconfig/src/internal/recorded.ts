/**
 * What kubecred recorded on the entries a file already holds: the provenance extension, the current-context
 * an add replaced (`kubecred.io/previous-current-context`), and the comparisons an add makes against them.
 */
import { PROVENANCE_EXTENSION, Provenance } from "@kubecred/core/Provenance"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { Entry } from "./change.js"
import type { Marker } from "./model.js"

/** Extension on a kubecred context recording the `current-context` it replaced, restored when it is removed. */
export const PREVIOUS_CONTEXT_EXTENSION = "kubecred.io/previous-current-context"

export const encodeProvenance = Schema.encodeSync(Provenance)
const decodeProvenance = Schema.decodeUnknownEither(Provenance)

export type Extension = { readonly name?: unknown; readonly extension?: unknown }

export const extensionsOf = (body: unknown): ReadonlyArray<Extension> => {
  const extensions = (body as { extensions?: unknown } | undefined)?.extensions
  return Array.isArray(extensions) ? (extensions as Array<Extension>) : []
}

/** The provenance kubecred recorded on a context entry, when there is a valid one. */
export const provenanceOf = (contextEntry: Entry | undefined): Provenance | undefined => {
  const found = extensionsOf(contextEntry?.context).find((extension) => extension.name === PROVENANCE_EXTENSION)
  if (found === undefined) return undefined
  const decoded = decodeProvenance(found.extension)
  return Either.isRight(decoded) ? decoded.right : undefined
}

/**
 * The `current-context` values an add replaced: `own`, in the file holding the context, and `other`, in another
 * file of the KUBECONFIG chain (the write target, when the context lives in a later file).
 */
export interface Recorded {
  readonly own?: Marker | undefined
  readonly other?: { readonly file: string; readonly marker: Marker } | undefined
}

export const markerOf = (value: { absent?: unknown; text?: unknown } | undefined): Marker | undefined =>
  value?.absent === true
    ? { _tag: "absent" }
    : typeof value?.text === "string"
      ? { _tag: "text", text: value.text }
      : undefined

export const encodeMarker = (marker: Marker) => (marker._tag === "absent" ? { absent: true } : { text: marker.text })

export const previousOf = (contextEntry: Entry | undefined): Recorded | undefined => {
  const found = extensionsOf(contextEntry?.context).find((extension) => extension.name === PREVIOUS_CONTEXT_EXTENSION)
  const value = found?.extension as { absent?: unknown; text?: unknown; other?: unknown } | undefined
  const own = markerOf(value)
  const otherValue = value?.other as { file?: unknown; absent?: unknown; text?: unknown } | undefined
  const otherMarker = markerOf(otherValue)
  const other =
    typeof otherValue?.file === "string" && otherMarker !== undefined
      ? { file: otherValue.file, marker: otherMarker }
      : undefined
  return own === undefined && other === undefined ? undefined : { own, other }
}

export const sameCluster = (a: Provenance, b: Provenance): boolean =>
  a.provider === b.provider && a.clusterId === b.clusterId && a.region === b.region && a.endpoint === b.endpoint

/** Canonical JSON: keys sorted, the volatile parts of kubecred's own extensions left out. */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (key, inner: unknown) => {
    if (key === "extensions" && Array.isArray(inner)) {
      return inner
        .filter((extension: Extension) => extension?.name !== PREVIOUS_CONTEXT_EXTENSION)
        .map((extension: Extension) => {
          if (extension?.name !== PROVENANCE_EXTENSION) return extension
          const { fetchedAt: _, ...rest } = (extension.extension ?? {}) as Record<string, unknown>
          return { ...extension, extension: rest }
        })
    }
    if (inner !== null && typeof inner === "object" && !Array.isArray(inner)) {
      return Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
    }
    return inner
  })
