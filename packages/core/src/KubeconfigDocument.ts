/**
 * The kubeconfig document (clientcmd v1 `Config`) as a Schema: every field kubectl knows, and any unknown
 * field survives a decode/encode round trip. Key material (client keys, tokens, passwords) is held as Redacted.
 *
 * The schemas are built on first use (`schemas()`): building them costs a start of the CLI about 12 ms, and
 * data of the right shape is decoded and encoded without them (internal/documentShape.ts, held to the same
 * answers by test/DocumentShape.test.ts). Only data the shape check refuses goes through the Schema,
 * which says what is wrong and where.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { decodeShaped, encodeDecoded, encodeUserBody, isKubeconfigShape as shaped } from "./internal/documentShape.js"

const build = () => {
  /** Fields nobody declared here (a newer kubectl, a plugin) are kept as they are. */
  const Rest = Schema.Record({ key: Schema.String, value: Schema.Unknown })

  const Secret = Schema.Redacted(Schema.String)

  const NamedExtension = Schema.Struct({ name: Schema.String, extension: Schema.Unknown }, Rest)

  const Extensions = Schema.optional(Schema.Array(NamedExtension))

  const Cluster = Schema.Struct(
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

  const ExecEnvVar = Schema.Struct({ name: Schema.String, value: Schema.String })

  const ExecConfig = Schema.Struct(
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

  const AuthProvider = Schema.Struct(
    { name: Schema.String, config: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })) },
    Rest
  )

  const User = Schema.Struct(
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

  const Context = Schema.Struct(
    {
      cluster: Schema.String,
      user: Schema.String,
      namespace: Schema.optional(Schema.String),
      extensions: Extensions
    },
    Rest
  )

  const NamedCluster = Schema.Struct({ name: Schema.String, cluster: Cluster }, Rest)
  const NamedUser = Schema.Struct({ name: Schema.String, user: User }, Rest)
  const NamedContext = Schema.Struct({ name: Schema.String, context: Context }, Rest)

  const Preferences = Schema.Struct({ colors: Schema.optional(Schema.Boolean), extensions: Extensions }, Rest)

  /** A whole kubeconfig file. kubectl tolerates missing lists and a missing kind/apiVersion on read. */
  const KubeconfigDocument = Schema.Struct(
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
  return {
    NamedExtension,
    Cluster,
    ExecEnvVar,
    ExecConfig,
    AuthProvider,
    User,
    Context,
    NamedCluster,
    NamedUser,
    NamedContext,
    Preferences,
    KubeconfigDocument
  }
}

type Schemas = ReturnType<typeof build>
let built: Schemas | undefined

/** The document's schemas (NamedCluster, User, KubeconfigDocument, ...), built on first use. */
export const schemas = (): Schemas => {
  built ??= build()
  return built
}

export type NamedExtension = Schema.Schema.Type<Schemas["NamedExtension"]>
export type Cluster = Schema.Schema.Type<Schemas["Cluster"]>
export type ExecConfig = Schema.Schema.Type<Schemas["ExecConfig"]>
export type User = Schema.Schema.Type<Schemas["User"]>
export type Context = Schema.Schema.Type<Schemas["Context"]>
export type NamedCluster = Schema.Schema.Type<Schemas["NamedCluster"]>
export type NamedUser = Schema.Schema.Type<Schemas["NamedUser"]>
export type NamedContext = Schema.Schema.Type<Schemas["NamedContext"]>
export type KubeconfigDocument = Schema.Schema.Type<Schemas["KubeconfigDocument"]>
export type KubeconfigDocumentEncoded = Schema.Schema.Encoded<Schemas["KubeconfigDocument"]>

const decodeOptions = { onExcessProperty: "preserve" } as const

/** Whether plain data has a kubeconfig's shape (what the schema's encoded side accepts), without the schema. */
export const isKubeconfigShape = (data: unknown): boolean => shaped(data)

/** Decodes plain data (parsed YAML or JSON) into a document. */
export const decodeDocumentEither = (data: unknown): Either.Either<KubeconfigDocument, ParseResult.ParseError> =>
  shaped(data)
    ? Either.right(decodeShaped(data) as KubeconfigDocument)
    : Schema.decodeUnknownEither(schemas().KubeconfigDocument, decodeOptions)(data)
export const decodeDocument = (data: unknown): Effect.Effect<KubeconfigDocument, ParseResult.ParseError> =>
  Effect.suspend(() => decodeDocumentEither(data))

/** Encodes a document back to plain data (secrets revealed: for writing files, never for logs). */
export const encodeDocumentSync = (document: KubeconfigDocument): KubeconfigDocumentEncoded =>
  encodeDecoded(document) as KubeconfigDocumentEncoded
export const encodeDocument = (
  document: KubeconfigDocument
): Effect.Effect<KubeconfigDocumentEncoded, ParseResult.ParseError> => Effect.sync(() => encodeDocumentSync(document))

/** One user's body as plain data, its secrets revealed. */
export const encodeUser = (user: User): Schema.Schema.Encoded<Schemas["User"]> =>
  encodeUserBody(user as unknown as Record<string, unknown>) as Schema.Schema.Encoded<Schemas["User"]>
