/**
 * The entries an add wants to write, read from the fetched kubeconfig. What comes from the cloud is data, never
 * trusted config: the cluster written is built from the fetched `server` (https only),
 * `certificate-authority-data` and `tls-server-name`, the user from `client-certificate-data`, `client-key-data`
 * and `token`, the context gives at most a `namespace`. Any other field (exec, auth-provider, file paths,
 * insecure-skip-tls-verify, proxy-url, extensions, unknown keys, YAML merge keys) refuses the whole answer with
 * MalformedResponse naming the field, never its value. kubecred's own additions (`--proxy-url`, `--exec`) are
 * made after the check.
 */
import type { FetchedKubeconfig } from "@kubecred/core/FetchedKubeconfig"
import { encodeUser, type KubeconfigDocument } from "@kubecred/core/KubeconfigDocument"
import { InvalidInput, MalformedResponse } from "@kubecred/core/KubecredError"
import type { Provenance } from "@kubecred/core/Provenance"
import * as Either from "effect/Either"
import type { Entry } from "./change.js"

export interface ExecOptions {
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly apiVersion: string
  readonly env?: ReadonlyArray<{ name: string; value: string }>
}

/** What an add adds of its own, after the allow-list: an exec user, a proxy, a namespace. */
export interface OwnAdditions {
  /** Write a user that runs this exec plugin instead of embedding the client certificate and key. */
  readonly exec?: ExecOptions
  readonly proxyUrl?: string | undefined
  readonly namespace?: string | undefined
}

export interface Wanted {
  readonly provenance: Provenance
  readonly cluster: Entry
  readonly user: Entry
  readonly namespace: string | undefined
}

export const invalid = (field: string, detail: string) => new InvalidInput({ field, detail })

/** The fields kubecred takes from a fetched cluster and user; nothing else is ever written from the network. */
export const ALLOWED_CLUSTER_FIELDS: ReadonlyArray<string> = ["server", "certificate-authority-data", "tls-server-name"]
export const ALLOWED_USER_FIELDS: ReadonlyArray<string> = ["client-certificate-data", "client-key-data", "token"]
const ALLOWED_CONTEXT_FIELDS: ReadonlyArray<string> = ["cluster", "user", "namespace"]

const ACTION: Record<Provenance["provider"], string> = {
  tencent: "DescribeClusterKubeconfig",
  alibaba: "DescribeClusterUserKubeconfig"
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/
/** Printable ASCII without spaces: what a bearer token, a host name or a URL is made of. */
const PRINTABLE = /^[\x21-\x7e]+$/
/** C0, DEL, C1 and the bidi controls: never written from a cloud-provided text. */
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/
const HOST_NAME = /^[A-Za-z0-9.-]{1,253}$/

/** Why a fetched value is refused (never quoting it), or undefined when kubecred may write it. */
const valueProblem = (field: string, value: unknown): string | undefined => {
  if (typeof value !== "string" || value === "") return "is not a non-empty string"
  switch (field) {
    case "server": {
      if (!PRINTABLE.test(value)) return "contains spaces or control characters"
      let url: URL
      try {
        url = new URL(value)
      } catch {
        return "is not a URL"
      }
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
      return DNS_LABEL.test(value) ? undefined : "is not a namespace name"
    default:
      return undefined
  }
}

/** The allowed fields of one fetched body, or the name of the first field refused and why. */
const allowed = (
  body: Record<string, unknown>,
  fields: ReadonlyArray<string>,
  where: string
): Either.Either<Entry, string> => {
  const out: Entry = {}
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

/** The single context of the fetched document, its cluster and user, reduced to what kubecred writes. */
export const wantedEntries = (
  fetched: FetchedKubeconfig,
  options: OwnAdditions
): Either.Either<Wanted, InvalidInput | MalformedResponse> => {
  const refused = (detail: string) =>
    new MalformedResponse({
      provider: fetched.provenance.provider,
      action: ACTION[fetched.provenance.provider],
      detail: `refused the kubeconfig in the answer: ${detail} (allowed: cluster ${ALLOWED_CLUSTER_FIELDS.join(", ")}; user ${ALLOWED_USER_FIELDS.join(", ")})`
    })
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
  if (user === undefined && options.exec === undefined) {
    return Either.left(refused("its context names a user it does not have"))
  }
  const context = allowed(chosen.context as Record<string, unknown>, ALLOWED_CONTEXT_FIELDS, "context")
  if (Either.isLeft(context)) return Either.left(refused(context.left))
  const clusterBody = allowed({ ...cluster.cluster } as Record<string, unknown>, ALLOWED_CLUSTER_FIELDS, "cluster")
  if (Either.isLeft(clusterBody)) return Either.left(refused(clusterBody.left))
  if (clusterBody.right.server === undefined) return Either.left(refused("cluster.server is missing"))
  // The fetched user is checked even when --exec replaces it: an answer carrying an exec plugin is hostile.
  const userBody =
    user === undefined
      ? Either.right({})
      : allowed(encodeUser(user.user) as Record<string, unknown>, ALLOWED_USER_FIELDS, "user")
  if (Either.isLeft(userBody)) return Either.left(refused(userBody.left))
  if (options.exec === undefined && Object.keys(userBody.right).length === 0) {
    return Either.left(refused("its user has no credential"))
  }

  // kubecred's own additions, after the check.
  const written: Entry = { ...clusterBody.right }
  if (options.proxyUrl !== undefined) {
    const problem = proxyUrlProblem(options.proxyUrl)
    if (problem !== undefined) return Either.left(invalid("proxyUrl", problem))
    written["proxy-url"] = options.proxyUrl
  }
  const writtenUser: Entry =
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
      : userBody.right
  // the cluster's name is the cloud's data too: no control or bidi character goes into the file
  const recorded: Provenance =
    fetched.provenance.name === undefined
      ? fetched.provenance
      : { ...fetched.provenance, name: fetched.provenance.name.replace(UNSAFE_TEXT, "?") }
  const provenance: Provenance = options.exec !== undefined ? { ...recorded, credential: "exec" } : recorded
  const namespace = options.namespace ?? (context.right.namespace as string | undefined)
  const badNamespace = options.namespace === undefined ? undefined : namespaceProblem(options.namespace)
  if (badNamespace !== undefined) return Either.left(invalid("namespace", badNamespace))
  return Either.right({ provenance, cluster: written, user: writtenUser, namespace })
}

/** Why a `--proxy-url` cannot go into a kubeconfig (kubectl takes http, https and socks5 proxies). */
export const proxyUrlProblem = (value: string): string | undefined => {
  if (!PRINTABLE.test(value)) return "contains spaces or control characters"
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return "is not a URL"
  }
  if (!["http:", "https:", "socks5:"].includes(url.protocol)) return "must be an http://, https:// or socks5:// URL"
  if (url.hostname === "") return "has no host"
  return undefined
}

/** Why a `--namespace` is not a Kubernetes namespace name. */
export const namespaceProblem = (value: string): string | undefined =>
  DNS_LABEL.test(value) ? undefined : "is not a namespace name (lower-case letters, digits and -, at most 63)"
