import { X509Certificate } from "node:crypto"
import * as YAML from "yaml"

export interface ParsedKubeconfig {
  readonly server: string
  readonly tlsServerName: string | undefined
  readonly clusterName: string
  readonly userName: string
  readonly contextName: string
  readonly ca: X509Certificate
  readonly cert: X509Certificate
  readonly keyPem: string
}

/** Reads the one-cluster kubeconfig the mock returns and parses its certificates. */
export const parseKubeconfig = (text: string): ParsedKubeconfig => {
  const doc = YAML.parse(text)
  const cluster = doc.clusters[0]
  const user = doc.users[0]
  const fromB64 = (value: string) => Buffer.from(value, "base64").toString("utf8")
  return {
    server: cluster.cluster.server,
    tlsServerName: cluster.cluster["tls-server-name"],
    clusterName: cluster.name,
    userName: user.name,
    contextName: doc["current-context"],
    ca: new X509Certificate(fromB64(cluster.cluster["certificate-authority-data"])),
    cert: new X509Certificate(fromB64(user.user["client-certificate-data"])),
    keyPem: fromB64(user.user["client-key-data"])
  }
}

export const commonName = (cert: X509Certificate): string | undefined => /CN=([^\n,]+)/.exec(cert.subject)?.[1]

const YEAR = 365 * 24 * 3600 * 1000

/** Certificate lifetime in (approximate, 365-day) years. */
export const lifetimeYears = (cert: X509Certificate): number =>
  (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / YEAR
