/**
 * The one name kubecred gives a fetched cluster's context, cluster and user entries.
 * Default `{provider}-{region}-{clusterId}`, plus `-private` for a private endpoint. Placeholders: `{provider}`,
 * `{region}`, `{id}` (or `{clusterId}`), `{name}` (the cluster's name in the cloud, else its id) and `{endpoint}`.
 */
import type { Provenance } from "@kubecred/core/Provenance"

export const DEFAULT_TEMPLATE = "{provider}-{region}-{clusterId}"

const PLACEHOLDER = /\{(provider|region|clusterId|id|name|endpoint)\}/g

/** A cluster name from the cloud, made safe for a kubeconfig entry name: runs of anything else become `-`. */
export const safeName = (name: string): string =>
  name
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)

/**
 * Fills a name template. The `-private` suffix is added to the default template only; a custom template
 * says where the endpoint goes with `{endpoint}`.
 */
export const entryName = (provenance: Provenance, template?: string | undefined): string => {
  const values: Record<string, string> = {
    provider: provenance.provider,
    region: provenance.region,
    clusterId: provenance.clusterId,
    id: provenance.clusterId,
    name: (provenance.name === undefined ? "" : safeName(provenance.name)) || provenance.clusterId,
    endpoint: provenance.endpoint
  }
  const chosen = template ?? DEFAULT_TEMPLATE
  const filled = chosen.replace(PLACEHOLDER, (_, key: string) => values[key]!)
  return template === undefined && provenance.endpoint === "private" ? `${filled}-private` : filled
}

/** Why a name cannot be used, if it cannot. */
export const nameProblem = (name: string): string | undefined => {
  if (name.trim() === "") return "the name is empty"
  if (/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(name))
    return "the name contains a control character"
  if (/\{[A-Za-z]+\}/.test(name)) return `the name has an unknown placeholder: ${name}`
  return undefined
}

/** `base`, else `base-2`, `base-3`, ... : the first candidate `usable` accepts. */
export const firstFree = (base: string, usable: (name: string) => boolean): string => {
  if (usable(base)) return base
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`
    if (usable(candidate)) return candidate
  }
}
