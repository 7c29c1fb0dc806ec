import * as YAML from "yaml"

export interface KubeconfigParts {
  readonly clusterName: string
  readonly userName: string
  readonly contextName: string
  readonly server: string
  /** Set for the stub's public endpoint: the SNI name whose certificate chains to the cluster's CA. */
  readonly tlsServerName?: string | undefined
  readonly caPem: string
  readonly certPem: string
  readonly keyPem: string
}

const b64 = (pem: string) => Buffer.from(pem).toString("base64")

/** A standard `kind: Config` document with one cluster, one user, one context. */
export const render = (parts: KubeconfigParts): string =>
  YAML.stringify({
    apiVersion: "v1",
    clusters: [
      {
        cluster: {
          "certificate-authority-data": b64(parts.caPem),
          server: parts.server,
          ...(parts.tlsServerName === undefined ? {} : { "tls-server-name": parts.tlsServerName })
        },
        name: parts.clusterName
      }
    ],
    contexts: [{ context: { cluster: parts.clusterName, user: parts.userName }, name: parts.contextName }],
    "current-context": parts.contextName,
    kind: "Config",
    preferences: {},
    users: [
      {
        name: parts.userName,
        user: { "client-certificate-data": b64(parts.certPem), "client-key-data": b64(parts.keyPem) }
      }
    ]
  })
