/**
 * Turns ACK's `{config, expiration}` into a FetchedKubeconfig: the YAML decoded into the core document (key
 * material Redacted), expiry from `expiration` or else the client certificate's notAfter, identity = the
 * certificate's subject CN.
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import { decodeDocumentEither, type KubeconfigDocument } from "@kubecred/core/KubeconfigDocument"
import { X509Certificate } from "node:crypto"
import { parse } from "yaml"

export interface ClientCertificate {
  readonly notAfter: DateTime.Utc
  readonly commonName: string | undefined
}

/** The client certificate of the document's user (the current context's, else the first). */
export const clientCertificate = (document: KubeconfigDocument): Option.Option<ClientCertificate> => {
  const users = document.users ?? []
  const contextUser = (document.contexts ?? []).find((c) => c.name === document["current-context"])?.context.user
  const user = users.find((u) => u.name === contextUser) ?? users[0]
  const data = user?.user["client-certificate-data"]
  if (data === undefined) return Option.none()
  try {
    const cert = new X509Certificate(Buffer.from(data, "base64"))
    const notAfter = DateTime.make(new Date(cert.validTo))
    if (Option.isNone(notAfter)) return Option.none()
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1]
    return Option.some({ notAfter: DateTime.toUtc(notAfter.value), commonName: cn })
  } catch {
    return Option.none()
  }
}

export interface Parsed {
  readonly document: KubeconfigDocument
  readonly expiresAt: Option.Option<DateTime.Utc>
  readonly identity: string | undefined
}

/** Left: why the config is not a kubeconfig (never quoting its content). */
export const parseConfig = (config: string, expiration: string | null | undefined): Either.Either<Parsed, string> => {
  let data: unknown
  try {
    data = parse(config)
  } catch (e) {
    return Either.left(`config is not YAML (${(e as Error).name})`)
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return Either.left("config is not a kubeconfig document")
  }
  return decodeDocumentEither(data).pipe(
    Either.mapLeft(
      (e) => `config is not a kubeconfig document: ${ParseResult.TreeFormatter.formatErrorSync(e).split("\n")[0]}`
    ),
    Either.flatMap((document) => {
      const cert = clientCertificate(document)
      let expiresAt = Option.map(cert, (c) => c.notAfter)
      if (expiration !== undefined && expiration !== null && expiration !== "") {
        const parsed = DateTime.make(expiration)
        if (Option.isNone(parsed)) return Either.left(`expiration ${JSON.stringify(expiration)} is not a timestamp`)
        expiresAt = Option.some(DateTime.toUtc(parsed.value))
      }
      return Either.right({
        document,
        expiresAt,
        identity: Option.getOrUndefined(cert)?.commonName
      })
    })
  )
}
