/**
 * The kubectl exec credential protocol (client.authentication.k8s.io v1 / v1beta1): which apiVersion kubectl
 * asks for through KUBERNETES_EXEC_INFO, and the ExecCredential we answer with. node built-ins only: this
 * module is on the `kubecred credential` fast path.
 */

export const EXEC_API_V1 = "client.authentication.k8s.io/v1"
export const EXEC_API_V1BETA1 = "client.authentication.k8s.io/v1beta1"
export type ExecApiVersion = typeof EXEC_API_V1 | typeof EXEC_API_V1BETA1

export type ExecInfoResult =
  | { readonly _tag: "ok"; readonly apiVersion: ExecApiVersion; readonly interactive: boolean }
  | { readonly _tag: "invalid"; readonly detail: string }

/** Reads KUBERNETES_EXEC_INFO; absent means v1 (kubectl older than 1.22 sent nothing). */
export const readExecInfo = (raw: string | undefined): ExecInfoResult => {
  if (raw === undefined || raw.trim() === "") return { _tag: "ok", apiVersion: EXEC_API_V1, interactive: false }
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return { _tag: "invalid", detail: "KUBERNETES_EXEC_INFO is not JSON" }
  }
  const record = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>
  const apiVersion = record.apiVersion
  const spec = (typeof record.spec === "object" && record.spec !== null ? record.spec : {}) as Record<string, unknown>
  if (apiVersion === undefined) return { _tag: "ok", apiVersion: EXEC_API_V1, interactive: spec.interactive === true }
  if (apiVersion === EXEC_API_V1 || apiVersion === EXEC_API_V1BETA1) {
    return { _tag: "ok", apiVersion, interactive: spec.interactive === true }
  }
  return {
    _tag: "invalid",
    detail: `KUBERNETES_EXEC_INFO asks for apiVersion ${JSON.stringify(apiVersion)}; kubecred speaks ${EXEC_API_V1} and ${EXEC_API_V1BETA1}`
  }
}

export interface ClientCertificate {
  /** PEM, as kubectl wants it in status (not base64 like kubeconfig's *-data fields). */
  readonly clientCertificateData: string
  readonly clientKeyData: string
}

/** RFC 3339 without fractional seconds, as the Kubernetes API formats times. */
export const rfc3339 = (millis: number): string =>
  new Date(Math.floor(millis / 1000) * 1000).toISOString().replace(".000Z", "Z")

export const execCredentialJson = (
  apiVersion: ExecApiVersion,
  credential: ClientCertificate,
  expirationMillis: number
): string =>
  `${JSON.stringify({
    kind: "ExecCredential",
    apiVersion,
    spec: { interactive: false },
    status: {
      expirationTimestamp: rfc3339(expirationMillis),
      clientCertificateData: credential.clientCertificateData,
      clientKeyData: credential.clientKeyData
    }
  })}\n`
