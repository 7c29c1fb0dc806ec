/**
 * The part of a cloud's kubeconfig that kubecred ever writes or hands out. What comes from the network is data,
 * never trusted config: from the answer's one context, its cluster gives `server` (https only),
 * `certificate-authority-data` and `tls-server-name`, its user `client-certificate-data`, `client-key-data` and
 * `token`, the context at most a `namespace`. Any other field (exec, auth-provider, file paths,
 * insecure-skip-tls-verify, proxy-url, extensions, unknown keys) refuses the whole answer with MalformedResponse
 * naming the field, never its value. The CLI's writes (@kubecred/kubeconfig) and the Promise facades both go
 * through here (README, "Safety").
 */
import * as Either from "effect/Either"
import { encodeUser, type KubeconfigDocument } from "./KubeconfigDocument.js"
import { MalformedResponse } from "./KubecredError.js"
import { kubeconfigAction, type ProviderName } from "./Provider.js"

/** The fields kubecred takes from a fetched cluster and user; nothing else is ever written from the network. */
export const ALLOWED_CLUSTER_FIELDS: ReadonlyArray<string> = ["server", "certificate-authority-data", "tls-server-name"]
export const ALLOWED_USER_FIELDS: ReadonlyArray<string> = ["client-certificate-data", "client-key-data", "token"]
const ALLOWED_CONTEXT_FIELDS: ReadonlyArray<string> = ["cluster", "user", "namespace"]

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/
/** Printable ASCII without spaces: what a bearer token, a host name or a URL is made of. */
const PRINTABLE = /^[\x21-\x7e]+$/
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/
const HOST_NAME = /^[A-Za-z0-9.-]{1,253}$/

/** Whether a text is a Kubernetes namespace name (a DNS label: lower-case letters, digits and -, at most 63). */
export const isNamespaceName = (value: string): boolean => DNS_LABEL.test(value)

/** A URL from a text of printable ASCII, or why it is not one (never quoting it). */
export const printableUrl = (value: string): URL | string => {
  if (!PRINTABLE.test(value)) return "contains spaces or control characters"
  try {
    return new URL(value)
  } catch {
    return "is not a URL"
  }
}

/** Why a fetched value is refused (never quoting it), or undefined when kubecred may write it. */
const valueProblem = (field: string, value: unknown): string | undefined => {
  if (typeof value !== "string" || value === "") return "is not a non-empty string"
  switch (field) {
    case "server": {
      const url = printableUrl(value)
      if (typeof url === "string") return url
      if (url.protocol !== "https:") return "is not an https:// URL"
      if (url.username !== "" || url.password !== "") return "carries credentials"
      return undefined
    }
    case "tls-server-name":
      return HOST_NAME.test(value) ? undefined : "is not a host name"
    case "certificate-authority-data":
    case "client-certificate-data":
    case "client-key-data":
      return BASE64.test(value) ? undefined : "is not base64"
    case "token":
      return PRINTABLE.test(value) ? undefined : "contains spaces or control characters"
    case "namespace":
      return isNamespaceName(value) ? undefined : "is not a namespace name"
    default:
      return undefined
  }
}

/** The allowed fields of one fetched body, or the name of the first field refused and why. */
const allowed = (
  body: Record<string, unknown>,
  fields: ReadonlyArray<string>,
  where: string
): Either.Either<Record<string, unknown>, string> => {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(body)) {
    if (body[key] === undefined) continue
    const shown = JSON.stringify(key).slice(0, 60)
    if (!fields.includes(key)) return Either.left(`${where}.${shown} is not a field kubecred writes`)
    const problem = valueProblem(key, body[key])
    if (problem !== undefined) return Either.left(`${where}.${shown} ${problem}`)
    out[key] = body[key]
  }
  return Either.right(out)
}

/** The answer's context, cluster and user, each reduced to its allowed fields. */
export interface AllowedKubeconfig {
  readonly contextName: string
  readonly clusterName: string
  /** The user the context names (with `userOptional`, the answer may lack it: `user` is then empty). */
  readonly userName: string
  readonly cluster: Readonly<Record<string, unknown>>
  readonly user: Readonly<Record<string, unknown>>
  readonly namespace: string | undefined
}

/**
 * The one context the answer names (its current-context, or its only context), with its cluster and user.
 * `userOptional`: the user may be missing or hold no credential (kubecred writes an exec user instead); a
 * user that is there is checked all the same, since an answer carrying an exec plugin is hostile.
 */
export const allowListed = (
  document: KubeconfigDocument,
  provider: ProviderName,
  options: { readonly userOptional?: boolean } = {}
): Either.Either<AllowedKubeconfig, MalformedResponse> => {
  const refused = (detail: string) =>
    new MalformedResponse({
      provider,
      action: kubeconfigAction(provider),
      detail: `refused the kubeconfig in the answer: ${detail} (allowed: cluster ${ALLOWED_CLUSTER_FIELDS.join(", ")}; user ${ALLOWED_USER_FIELDS.join(", ")})`
    })
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
      refused(
        contexts.length === 0
          ? "it has no context"
          : `it does not name one context to use (${contexts.length} contexts, current-context ${current === undefined || current === "" ? "unset" : "not among them"})`
      )
    )
  }
  const cluster = (document.clusters ?? []).find((entry) => entry.name === chosen.context.cluster)
  const user = (document.users ?? []).find((entry) => entry.name === chosen.context.user)
  if (cluster === undefined) return Either.left(refused("its context names a cluster it does not have"))
  if (user === undefined && options.userOptional !== true) {
    return Either.left(refused("its context names a user it does not have"))
  }
  const context = allowed(chosen.context as Record<string, unknown>, ALLOWED_CONTEXT_FIELDS, "context")
  if (Either.isLeft(context)) return Either.left(refused(context.left))
  const clusterBody = allowed({ ...cluster.cluster } as Record<string, unknown>, ALLOWED_CLUSTER_FIELDS, "cluster")
  if (Either.isLeft(clusterBody)) return Either.left(refused(clusterBody.left))
  if (clusterBody.right.server === undefined) return Either.left(refused("cluster.server is missing"))
  const userBody =
    user === undefined
      ? Either.right({})
      : allowed(encodeUser(user.user) as Record<string, unknown>, ALLOWED_USER_FIELDS, "user")
  if (Either.isLeft(userBody)) return Either.left(refused(userBody.left))
  if (options.userOptional !== true && Object.keys(userBody.right).length === 0) {
    return Either.left(refused("its user has no credential"))
  }
  return Either.right({
    contextName: chosen.name,
    clusterName: cluster.name,
    userName: chosen.context.user,
    cluster: clusterBody.right,
    user: userBody.right,
    namespace: context.right.namespace as string | undefined
  })
}

/** The allowed parts as a kubeconfig of their own: one cluster, user and context, named as the cloud named them. */
export const toKubeconfig = (allowedParts: AllowedKubeconfig): Record<string, unknown> => ({
  apiVersion: "v1",
  kind: "Config",
  clusters: [{ name: allowedParts.clusterName, cluster: { ...allowedParts.cluster } }],
  users: [{ name: allowedParts.userName, user: { ...allowedParts.user } }],
  contexts: [
    {
      name: allowedParts.contextName,
      context: {
        cluster: allowedParts.clusterName,
        user: allowedParts.userName,
        ...(allowedParts.namespace === undefined ? {} : { namespace: allowedParts.namespace })
      }
    }
  ],
  "current-context": allowedParts.contextName
})
