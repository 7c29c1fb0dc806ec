/**
 * A hand-written check of the kubeconfig shape, the same rules as the KubeconfigDocument schema, and the
 * decode and encode that shape allows (key material in and out of Redacted), for the fast path: building the
 * schema costs every start of the CLI about 12 ms, and on a 29 MB file the generic Schema check costs more
 * than parsing. It only says yes or no; on no, the caller takes the Schema path, which says what is wrong and
 * where. test/DocumentShape.test.ts holds both to the same answers.
 */
import * as Redacted from "effect/Redacted"

type Check = (value: unknown) => boolean

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value)
const isString: Check = (value) => typeof value === "string"
const isBoolean: Check = (value) => typeof value === "boolean"
const arrayOf =
  (check: Check): Check =>
  (value) =>
    Array.isArray(value) && value.every(check)
const nullOr =
  (check: Check): Check =>
  (value) =>
    value === null || check(value)
const recordOf =
  (check: Check): Check =>
  (value) =>
    isObject(value) && Object.values(value).every(check)

/** An object whose listed fields, when present, pass their checks; `required` ones must be present. */
const struct =
  (fields: Record<string, Check>, required: ReadonlyArray<string> = []): Check =>
  (value) => {
    if (!isObject(value)) return false
    for (const key of required) if (!(key in value)) return false
    for (const key in fields) {
      if (key in value && value[key] !== undefined && !fields[key]!(value[key])) return false
    }
    return true
  }

const extensions = arrayOf(struct({ name: isString }, ["name", "extension"]))

const cluster = struct(
  {
    server: isString,
    "tls-server-name": isString,
    "insecure-skip-tls-verify": isBoolean,
    "certificate-authority": isString,
    "certificate-authority-data": isString,
    "proxy-url": isString,
    "disable-compression": isBoolean,
    extensions
  },
  ["server"]
)

const exec = struct(
  {
    apiVersion: isString,
    command: isString,
    args: arrayOf(isString),
    env: nullOr(arrayOf(struct({ name: isString, value: isString }, ["name", "value"]))),
    installHint: isString,
    provideClusterInfo: isBoolean,
    interactiveMode: (value) => value === "Never" || value === "IfAvailable" || value === "Always"
  },
  ["apiVersion", "command"]
)

const user = struct({
  "client-certificate": isString,
  "client-certificate-data": isString,
  "client-key": isString,
  "client-key-data": isString,
  token: isString,
  tokenFile: isString,
  as: isString,
  "as-uid": isString,
  "as-groups": arrayOf(isString),
  "as-user-extra": recordOf(arrayOf(isString)),
  username: isString,
  password: isString,
  "auth-provider": struct({ name: isString, config: recordOf(isString) }, ["name"]),
  exec,
  extensions
})

const context = struct({ cluster: isString, user: isString, namespace: isString, extensions }, ["cluster", "user"])

const named = (body: string, check: Check): Check => struct({ name: isString, [body]: check }, ["name", body])

const document = struct({
  apiVersion: (value) => value === "v1",
  kind: (value) => value === "Config",
  clusters: nullOr(arrayOf(named("cluster", cluster))),
  users: nullOr(arrayOf(named("user", user))),
  contexts: nullOr(arrayOf(named("context", context))),
  "current-context": isString,
  preferences: nullOr(struct({ colors: isBoolean, extensions })),
  extensions: nullOr(extensions)
})

/** Whether plain data has the shape of a kubeconfig (the KubeconfigDocument schema's encoded side). */
export const isKubeconfigShape = (data: unknown): boolean => document(data)

/** The user fields the schema holds as Redacted. */
const SECRET_FIELDS = ["client-key-data", "token", "password"] as const

type Plain = Record<string, unknown>

const mapUsers = (data: Plain, body: (user: Plain) => Plain): Plain => {
  const users = data.users
  if (!Array.isArray(users)) return { ...data }
  return {
    ...data,
    users: users.map((entry: Plain) => ({ ...entry, user: body(entry.user as Plain) }))
  }
}

/** What the schema's decode gives for data that has the shape: the same object, its secrets Redacted. */
export const decodeShaped = (data: unknown): unknown =>
  mapUsers(data as Plain, (user) => {
    const out: Plain = { ...user }
    for (const field of SECRET_FIELDS) if (typeof out[field] === "string") out[field] = Redacted.make(out[field])
    return out
  })

/** What the schema's encode gives for a decoded document: the same object, its secrets revealed. */
export const encodeDecoded = (document: unknown): unknown => mapUsers(document as Plain, (user) => encodeUserBody(user))

/** One user's body with its Redacted fields revealed. */
export const encodeUserBody = (user: Plain): Plain => {
  const out: Plain = { ...user }
  for (const field of SECRET_FIELDS) if (Redacted.isRedacted(out[field])) out[field] = Redacted.value(out[field])
  return out
}
