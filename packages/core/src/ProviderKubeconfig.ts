/**
 * A kubeconfig as a provider's API hands it out (YAML text, with ACK's optional `expiration`) turned into the
 * core document and the facts its client certificate tells: when it expires and whom it is for (the subject
 * CN: TKE sub-account UIN, ACK RAM UID). Both providers go through here; reasons never quote the content.
 *
 * The answer is data, read with js-yaml (YAML 1.2 core schema, no merge keys, duplicate keys refused, nesting
 * at most 100 deep) and no aliases at all: no cloud writes one, and refusing them leaves nothing to expand. It
 * reads a kubeconfig in about a third of the time the yaml library takes on a cold start; the yaml library
 * stays for the user's own files, whose comments and layout only its Document API keeps. The plain block YAML
 * the clouds write is read by internal/plainYaml.ts instead, to the same value, without starting js-yaml
 * (docs/decisions.md, "Start-up").
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { load } from "js-yaml"
import { inspect } from "./ClientCertificate.js"
import { readPlainYaml } from "./internal/plainYaml.js"
import { decodeDocumentEither, type KubeconfigDocument } from "./KubeconfigDocument.js"

export interface ParsedKubeconfig {
  readonly document: KubeconfigDocument
  /** `expiration` when the API gives one, else the client certificate's notAfter, else none (token based). */
  readonly expiresAt: Option.Option<DateTime.Utc>
  readonly identity: string | undefined
}

/** The `client-certificate-data` of the current context's user, else of the first user. */
export const clientCertificateData = (document: KubeconfigDocument): string | undefined => {
  const users = document.users ?? []
  const contextUser = (document.contexts ?? []).find((c) => c.name === document["current-context"])?.context.user
  const user = (contextUser === undefined ? undefined : users.find((u) => u.name === contextUser)) ?? users[0]
  return user?.user["client-certificate-data"]
}

/** Left: why the text is not a kubeconfig (never quoting it). */
export const parse = (
  text: string,
  expiration?: string | null | undefined
): Either.Either<ParsedKubeconfig, string> => {
  let raw: unknown
  try {
    const plain = readPlainYaml(text)
    raw = plain === undefined ? load(text, { maxAliases: 0 }) : plain.value
  } catch (error) {
    // js-yaml's reason can quote the text (an unknown tag): only the alias refusal is told apart
    return Either.left(
      /maxAliases/.test(String((error as { reason?: unknown }).reason))
        ? "the kubeconfig uses YAML aliases (anchors and aliases are refused in an answer)"
        : `the kubeconfig is not YAML (${(error as Error).name})`
    )
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return Either.left("the kubeconfig is not a YAML mapping")
  }
  return Either.flatMap(
    Either.mapLeft(decodeDocumentEither(raw), () => "the kubeconfig is not a kubeconfig document"),
    (document) => {
      const data = clientCertificateData(document)
      const facts = data === undefined ? {} : inspect(data)
      let expiresAt = Option.map(Option.fromNullable(facts.notAfter), DateTime.unsafeMake)
      if (expiration !== undefined && expiration !== null && expiration !== "") {
        const given = DateTime.make(expiration)
        if (Option.isNone(given)) return Either.left(`expiration ${JSON.stringify(expiration)} is not a timestamp`)
        expiresAt = Option.some(DateTime.toUtc(given.value))
      }
      return Either.right({ document, expiresAt, identity: facts.commonName })
    }
  )
}
