/**
 * The kubeconfig document (clientcmd v1 `Config`) as a Schema: every field kubectl knows, and any unknown
 * field survives a decode/encode round trip. Key material (client keys, tokens, passwords) is held as Redacted.
 */
import * as Schema from "effect/Schema"

/** Fields nobody declared here (a newer kubectl, a plugin) are kept as they are. */
const Rest = Schema.Record({ key: Schema.String, value: Schema.Unknown })

const Secret = Schema.Redacted(Schema.String)

export const NamedExtension = Schema.Struct({ name: Schema.String, extension: Schema.Unknown }, Rest)
export type NamedExtension = typeof NamedExtension.Type

const Extensions = Schema.optional(Schema.Array(NamedExtension))

export const Cluster = Schema.Struct(
  {
    server: Schema.String,
    "tls-server-name": Schema.optional(Schema.String),
    "insecure-skip-tls-verify": Schema.optional(Schema.Boolean),
    "certificate-authority": Schema.optional(Schema.String),
    "certificate-authority-data": Schema.optional(Schema.String),
    "proxy-url": Schema.optional(Schema.String),
    "disable-compression": Schema.optional(Schema.Boolean),
    extensions: Extensions
  },
  Rest
)
export type Cluster = typeof Cluster.Type

export const ExecEnvVar = Schema.Struct({ name: Schema.String, value: Schema.String })

export const ExecConfig = Schema.Struct(
  {
    apiVersion: Schema.String,
    command: Schema.String,
    args: Schema.optional(Schema.Array(Schema.String)),
    env: Schema.optional(Schema.NullOr(Schema.Array(ExecEnvVar))),
    installHint: Schema.optional(Schema.String),
    provideClusterInfo: Schema.optional(Schema.Boolean),
    interactiveMode: Schema.optional(Schema.Literal("Never", "IfAvailable", "Always"))
  },
  Rest
)
export type ExecConfig = typeof ExecConfig.Type

export const AuthProvider = Schema.Struct(
  { name: Schema.String, config: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })) },
  Rest
)

export const User = Schema.Struct(
  {
    "client-certificate": Schema.optional(Schema.String),
    "client-certificate-data": Schema.optional(Schema.String),
    "client-key": Schema.optional(Schema.String),
    "client-key-data": Schema.optional(Secret),
    token: Schema.optional(Secret),
    tokenFile: Schema.optional(Schema.String),
    as: Schema.optional(Schema.String),
    "as-uid": Schema.optional(Schema.String),
    "as-groups": Schema.optional(Schema.Array(Schema.String)),
    "as-user-extra": Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Array(Schema.String) })),
    username: Schema.optional(Schema.String),
    password: Schema.optional(Secret),
    "auth-provider": Schema.optional(AuthProvider),
    exec: Schema.optional(ExecConfig),
    extensions: Extensions
  },
  Rest
)
export type User = typeof User.Type

export const Context = Schema.Struct(
  {
    cluster: Schema.String,
    user: Schema.String,
    namespace: Schema.optional(Schema.String),
    extensions: Extensions
  },
  Rest
)
export type Context = typeof Context.Type

export const NamedCluster = Schema.Struct({ name: Schema.String, cluster: Cluster }, Rest)
export const NamedUser = Schema.Struct({ name: Schema.String, user: User }, Rest)
export const NamedContext = Schema.Struct({ name: Schema.String, context: Context }, Rest)
export type NamedCluster = typeof NamedCluster.Type
export type NamedUser = typeof NamedUser.Type
export type NamedContext = typeof NamedContext.Type

export const Preferences = Schema.Struct({ colors: Schema.optional(Schema.Boolean), extensions: Extensions }, Rest)

/** A whole kubeconfig file. kubectl tolerates missing lists and a missing kind/apiVersion on read. */
export const KubeconfigDocument = Schema.Struct(
  {
    apiVersion: Schema.optional(Schema.Literal("v1")),
    kind: Schema.optional(Schema.Literal("Config")),
    clusters: Schema.optional(Schema.NullOr(Schema.Array(NamedCluster))),
    users: Schema.optional(Schema.NullOr(Schema.Array(NamedUser))),
    contexts: Schema.optional(Schema.NullOr(Schema.Array(NamedContext))),
    "current-context": Schema.optional(Schema.String),
    preferences: Schema.optional(Schema.NullOr(Preferences)),
    extensions: Schema.optional(Schema.NullOr(Schema.Array(NamedExtension)))
  },
  Rest
).annotations({ identifier: "KubeconfigDocument" })
export type KubeconfigDocument = typeof KubeconfigDocument.Type
export type KubeconfigDocumentEncoded = typeof KubeconfigDocument.Encoded

/** Decodes plain data (parsed YAML or JSON) into a document. */
export const decodeDocument = Schema.decodeUnknown(KubeconfigDocument, { onExcessProperty: "preserve" })
export const decodeDocumentEither = Schema.decodeUnknownEither(KubeconfigDocument, { onExcessProperty: "preserve" })
/** Encodes a document back to plain data (secrets revealed: for writing files, never for logs). */
export const encodeDocument = Schema.encode(KubeconfigDocument)
export const encodeDocumentSync = Schema.encodeSync(KubeconfigDocument)
