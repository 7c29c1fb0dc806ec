/**
 * A hand-written check of the kubeconfig shape, the same rules as core's KubeconfigDocument schema, for the
 * fast path: on a 29 MB file the generic Schema check costs more than parsing. It only says yes or no; on no,
 * the caller takes the Document API path, whose Schema check says what is wrong and where.
 */
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

/** Whether plain data has the shape of a kubeconfig (core's KubeconfigDocument, encoded side). */
export const isKubeconfigShape = (data: unknown): boolean => document(data)
