/**
 * The TKE kubeconfig string → the core document, plus what its client certificate tells:
 * notAfter (TKE returns no expiry; the certificate is valid 20 years) and the subject CN (the sub-account UIN).
 */
import { decodeDocumentEither, type KubeconfigDocument } from "@kubecred/core/KubeconfigDocument"
import * as Either from "effect/Either"
import { X509Certificate } from "node:crypto"
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

const inspectCertificate = (base64: string | undefined): { notAfter?: Date; identity?: string } => {
  if (base64 === undefined) return {}
  try {
    const certificate = new X509Certificate(Buffer.from(base64, "base64"))
    const notAfter = new Date(certificate.validTo)
    const cn = certificate.subject
      .split("\n")
      .map((line) => /^CN=(.*)$/.exec(line.trim())?.[1])
      .find((value) => value !== undefined)
    return { ...(Number.isNaN(notAfter.getTime()) ? {} : { notAfter }), ...(cn ? { identity: cn } : {}) }
  } catch {
    return {}
  }
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
      const { notAfter, identity } = inspectCertificate(clientCertificateData(document))
      return Either.right({ document, notAfter, identity })
    }
  })
}
