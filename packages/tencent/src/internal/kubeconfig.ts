/**
 * The TKE kubeconfig string → the core document, plus what its client certificate tells:
 * notAfter (TKE returns no expiry; the certificate is valid 20 years) and the subject CN (the sub-account UIN),
 * read from the DER (./certificate.ts), X509Certificate as the fallback.
 */
import { decodeDocumentEither, type KubeconfigDocument } from "@kubecred/core/KubeconfigDocument"
import * as Either from "effect/Either"
import { inspect } from "./certificate.js"
import * as YAML from "yaml"

export interface ParsedKubeconfig {
  readonly document: KubeconfigDocument
  readonly notAfter: Date | undefined
  readonly identity: string | undefined
}

/** The user of the current context, else the only user. */
const clientCertificateData = (document: KubeconfigDocument): string | undefined => {
  const users = document.users ?? []
  const current = document["current-context"]
  const context = (document.contexts ?? []).find((c) => c.name === current)
  const user = (context ? users.find((u) => u.name === context.context.user) : undefined) ?? users[0]
  return user?.user["client-certificate-data"]
}

/** Fails with a reason (never with the document's content). */
export const parse = (text: string): Either.Either<ParsedKubeconfig, string> => {
  let raw: unknown
  try {
    raw = YAML.parse(text)
  } catch (error) {
    return Either.left(`the kubeconfig is not YAML (${(error as Error).name})`)
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return Either.left("the kubeconfig is not a YAML mapping")
  }
  return Either.match(decodeDocumentEither(raw), {
    onLeft: () => Either.left("the kubeconfig is not a kubeconfig document"),
    onRight: (document) => {
      const data = clientCertificateData(document)
      const facts = data === undefined ? {} : inspect(data)
      return Either.right({ document, notAfter: facts.notAfter, identity: facts.commonName })
    }
  })
}
