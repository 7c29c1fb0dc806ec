/**
 * The entries an add wants to write: the allow-listed parts of the fetched kubeconfig (@kubecred/core
 * AllowedKubeconfig: what comes from the cloud is data, never trusted config), then kubecred's own additions
 * (`--proxy-url`, `--exec`, `--namespace`), made after the check.
 */
import type { FetchedKubeconfig } from "@kubecred/core/FetchedKubeconfig"
import { allowListed, isNamespaceName, printableUrl } from "@kubecred/core/AllowedKubeconfig"
import { InvalidInput, type MalformedResponse } from "@kubecred/core/KubecredError"
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

/** C0, DEL, C1 and the bidi controls: never written from a cloud-provided text. */
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** The single context of the fetched document, its cluster and user, reduced to what kubecred writes. */
export const wantedEntries = (
  fetched: FetchedKubeconfig,
  options: OwnAdditions
): Either.Either<Wanted, InvalidInput | MalformedResponse> => {
  const picked = allowListed(fetched.document, fetched.provenance.provider, {
    userOptional: options.exec !== undefined
  })
  if (Either.isLeft(picked)) return Either.left(picked.left)
  const { cluster, user, namespace: fetchedNamespace } = picked.right

  // kubecred's own additions, after the check.
  const written: Entry = { ...cluster }
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
      : { ...user }
  // the cluster's name is the cloud's data too: no control or bidi character goes into the file
  const recorded: Provenance =
    fetched.provenance.name === undefined
      ? fetched.provenance
      : { ...fetched.provenance, name: fetched.provenance.name.replace(UNSAFE_TEXT, "?") }
  const provenance: Provenance = options.exec !== undefined ? { ...recorded, credential: "exec" } : recorded
  const namespace = options.namespace ?? fetchedNamespace
  const badNamespace = options.namespace === undefined ? undefined : namespaceProblem(options.namespace)
  if (badNamespace !== undefined) return Either.left(invalid("namespace", badNamespace))
  return Either.right({ provenance, cluster: written, user: writtenUser, namespace })
}

/** Why a `--proxy-url` cannot go into a kubeconfig (kubectl takes http, https and socks5 proxies). */
export const proxyUrlProblem = (value: string): string | undefined => {
  const url = printableUrl(value)
  if (typeof url === "string") return url
  if (!["http:", "https:", "socks5:"].includes(url.protocol)) return "must be an http://, https:// or socks5:// URL"
  if (url.hostname === "") return "has no host"
  return undefined
}

/** Why a `--namespace` is not a Kubernetes namespace name. */
export const namespaceProblem = (value: string): string | undefined =>
  isNamespaceName(value) ? undefined : "is not a namespace name (lower-case letters, digits and -, at most 63)"
