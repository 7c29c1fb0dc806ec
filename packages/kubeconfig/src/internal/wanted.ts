/**
 * The entries an add wants to write, read from the fetched kubeconfig: its one context's cluster and user as
 * plain data (or the exec user that replaces the embedded key), the provenance, and the namespace.
 */
import type { FetchedKubeconfig } from "@kubecred/core/FetchedKubeconfig"
import { Cluster, type KubeconfigDocument, User } from "@kubecred/core/KubeconfigDocument"
import { InvalidInput } from "@kubecred/core/KubecredError"
import type { Provenance } from "@kubecred/core/Provenance"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { AddOptions } from "../Merge.js"
import type { Entry } from "./change.js"

const encodeCluster = Schema.encodeSync(Cluster)
const encodeUser = Schema.encodeSync(User)

export interface Wanted {
  readonly provenance: Provenance
  readonly cluster: Entry
  readonly user: Entry
  readonly namespace: string | undefined
}

export const invalid = (field: string, detail: string) => new InvalidInput({ field, detail })

/** The single context of the fetched document, its cluster and user, as plain data. */
export const wantedEntries = (fetched: FetchedKubeconfig, options: AddOptions): Either.Either<Wanted, InvalidInput> => {
  const document: KubeconfigDocument = fetched.document
  const contexts = document.contexts ?? []
  const current = document["current-context"]
  const chosen =
    current !== undefined && current !== ""
      ? contexts.find((entry) => entry.name === current)
      : contexts.length === 1
        ? contexts[0]
        : undefined
  if (chosen === undefined) {
    return Either.left(
      invalid(
        "kubeconfig",
        contexts.length === 0
          ? "the fetched kubeconfig has no context"
          : `the fetched kubeconfig does not name one context to use (current-context ${JSON.stringify(current ?? "")}, ${contexts.length} contexts)`
      )
    )
  }
  const cluster = (document.clusters ?? []).find((entry) => entry.name === chosen.context.cluster)
  const user = (document.users ?? []).find((entry) => entry.name === chosen.context.user)
  if (cluster === undefined) {
    return Either.left(invalid("kubeconfig", `the fetched kubeconfig has no cluster ${chosen.context.cluster}`))
  }
  if (user === undefined && options.exec === undefined) {
    return Either.left(invalid("kubeconfig", `the fetched kubeconfig has no user ${chosen.context.user}`))
  }
  const clusterBody: Entry = { ...(encodeCluster(cluster.cluster) as Entry) }
  if (options.proxyUrl !== undefined) clusterBody["proxy-url"] = options.proxyUrl
  const userBody: Entry =
    options.exec !== undefined
      ? {
          exec: {
            apiVersion: options.exec.apiVersion,
            command: options.exec.command,
            args: [...options.exec.args],
            ...(options.exec.env === undefined || options.exec.env.length === 0
              ? {}
              : { env: options.exec.env.map(({ name, value }) => ({ name, value })) }),
            interactiveMode: "Never",
            provideClusterInfo: false
          }
        }
      : { ...(encodeUser(user!.user) as Entry) }
  const provenance: Provenance =
    options.exec !== undefined ? { ...fetched.provenance, credential: "exec" } : fetched.provenance
  return Either.right({
    provenance,
    cluster: clusterBody,
    user: userBody,
    namespace: options.namespace ?? chosen.context.namespace
  })
}
