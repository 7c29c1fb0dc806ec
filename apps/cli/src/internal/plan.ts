/**
 * What `sync` and `refresh` do to a kubeconfig, decided apart from the handlers, over the KubeconfigStore:
 * - every cluster a sync fetches updates the contexts kubecred already has for it (same provider, id and
 *   endpoint kind), each keeping its name, namespace and credential kind (an exec user stays exec, with its
 *   command, args and env), or else adds one new context named by the template; an explicit template renames
 *   the existing ones too (the old entries are removed once the new ones are written);
 * - `--prune` removes kubecred's contexts for clusters the listing no longer has, only in regions that answered;
 * - refresh renews embedded credentials that expire within a window (exec users renew themselves on use).
 */
import type { ClusterSummary } from "@kubecred/core/ClusterSummary"
import { InvalidInput } from "@kubecred/core/KubecredError"
import type { EndpointKind } from "@kubecred/core/Endpoint"
import type { KubeconfigError } from "@kubecred/core/KubecredError"
import type { Provenance } from "@kubecred/core/Provenance"
import type { ProviderName } from "@kubecred/core/Provider"
import { type ContextStatus, type ExecOptions, KubeconfigStore } from "@kubecred/kubeconfig/KubeconfigStore"
import { entryName } from "@kubecred/kubeconfig/Naming"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as fs from "node:fs"
import { expiryOf } from "./expiry.js"

/** A context kubecred added, with what an update must keep. */
export interface Managed {
  readonly status: ContextStatus
  readonly provenance: Provenance
  /** The user's exec stanza, when the context runs a credential plugin. */
  readonly exec: ExecOptions | undefined
  readonly namespace: string | undefined
}

/** kubecred's contexts in the kubeconfig (chain, or the file named), each with its exec stanza and namespace. */
export const managedContexts = (
  kubeconfig: string | undefined
): Effect.Effect<ReadonlyArray<Managed>, KubeconfigError, KubeconfigStore> =>
  Effect.gen(function* () {
    if (kubeconfig !== undefined && !fs.existsSync(kubeconfig)) return []
    const store = yield* KubeconfigStore
    return (yield* store.inspect({ kubeconfig }))
      .filter((s) => s.managed && s.provenance !== undefined)
      .map((status) => ({ status, provenance: status.provenance!, exec: status.exec, namespace: status.namespace }))
  })

/** Where one fetched cluster goes: an existing context (namespace and exec kept) or a new one. */
export interface Target {
  readonly name: string
  /** The existing context's name when the template renames it (removed after the write). */
  readonly renamedFrom: string | undefined
  readonly existing: boolean
  readonly current: boolean
  readonly exec: ExecOptions | undefined
  readonly namespace: string | undefined
}

/** The name a template gives a listed cluster (the same rule the store applies to a fetched one). */
export const templateName = (cluster: ClusterSummary, endpoint: EndpointKind, template: string | undefined) =>
  entryName(
    {
      provider: cluster.provider,
      region: cluster.region,
      clusterId: cluster.clusterId,
      name: cluster.name,
      endpoint,
      fetchedAt: DateTime.unsafeMake(0),
      credential: "embedded"
    },
    template
  )

export interface SyncPlan {
  readonly fetches: ReadonlyArray<{ readonly cluster: ClusterSummary; readonly targets: ReadonlyArray<Target> }>
}

/**
 * Each cluster to fetch, and the contexts it updates or adds. Fails, before anything is fetched, when the
 * template gives two clusters the same name.
 */
export const planSync = (
  provider: ProviderName,
  clusters: ReadonlyArray<ClusterSummary>,
  endpoint: EndpointKind,
  managed: ReadonlyArray<Managed>,
  template: string | undefined
): Effect.Effect<SyncPlan, InvalidInput> => {
  const fetches = clusters.map((cluster) => {
    const existing = managed.filter(
      (m) =>
        m.provenance.provider === provider &&
        m.provenance.clusterId === cluster.clusterId &&
        m.provenance.endpoint === endpoint
    )
    const named = templateName(cluster, endpoint, template)
    const targets: ReadonlyArray<Target> =
      existing.length === 0
        ? [
            {
              name: named,
              renamedFrom: undefined,
              existing: false,
              current: false,
              exec: undefined,
              namespace: undefined
            }
          ]
        : existing.map((m) => ({
            name: template === undefined ? m.status.name : named,
            renamedFrom: template !== undefined && named !== m.status.name ? m.status.name : undefined,
            existing: true,
            current: m.status.current,
            exec: m.exec,
            namespace: m.namespace
          }))
    return { cluster, targets }
  })
  const owner = new Map<string, ClusterSummary>()
  for (const { cluster, targets } of fetches) {
    for (const target of targets) {
      const other = owner.get(target.name)
      if (other !== undefined && other.clusterId !== cluster.clusterId) {
        return Effect.fail(
          new InvalidInput({
            field: "context-template",
            detail: `${JSON.stringify(template)} names both ${other.clusterId} (${other.region}) and ${cluster.clusterId} (${cluster.region}) "${target.name}"; add {region} or {id}`
          })
        )
      }
      owner.set(target.name, cluster)
    }
  }
  return Effect.succeed({ fetches })
}

/**
 * The contexts `--prune` removes: kubecred's, of this provider, in a region the listing answered for, whose
 * cluster the listing does not have.
 */
export const prunable = (
  provider: ProviderName,
  managed: ReadonlyArray<Managed>,
  listed: ReadonlyArray<ClusterSummary>,
  answered: (region: string) => boolean
): ReadonlyArray<string> => {
  const present = new Set(listed.map((c) => c.clusterId))
  return managed
    .filter((m) => m.provenance.provider === provider)
    .filter((m) => answered(m.provenance.region))
    .filter((m) => !present.has(m.provenance.clusterId))
    .map((m) => m.status.name)
}

/** The contexts refresh renews: embedded credentials expiring within `withinMinutes` of `now`. */
export const dueForRefresh = (
  managed: ReadonlyArray<Managed>,
  withinMinutes: number,
  now: number
): ReadonlyArray<Managed> =>
  managed.filter((m) => {
    if (m.status.credential === "exec") return false
    const expiresAt = expiryOf(m.status)
    return expiresAt !== undefined && expiresAt - now <= withinMinutes * 60_000
  })
