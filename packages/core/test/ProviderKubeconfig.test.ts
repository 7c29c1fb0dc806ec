import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parse as parseConfig } from "../src/ProviderKubeconfig.js"

/** A self-signed client certificate (CN=27654321, valid 2 days) made with openssl, or undefined without it. */
const certificate = (() => {
  const dir = mkdtempSync(join(tmpdir(), "kubecred-cert-"))
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-subj",
        "/O=system:users/CN=27654321",
        "-days",
        "2",
        "-keyout",
        join(dir, "k.pem"),
        "-out",
        join(dir, "c.pem")
      ],
      { stdio: "ignore" }
    )
    return Buffer.from(readFileSync(join(dir, "c.pem"))).toString("base64")
  } catch {
    return undefined
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})()

const config = (certData?: string) =>
  [
    "apiVersion: v1",
    "kind: Config",
    "clusters: [{name: kubernetes, cluster: {server: 'https://1.2.3.4:6443', certificate-authority-data: Q0E=}}]",
    `users: [{name: u, user: {${certData ? `client-certificate-data: ${certData}, ` : ""}client-key-data: S0VZ}}]`,
    "contexts: [{name: c, context: {cluster: kubernetes, user: u}}]",
    "current-context: c"
  ].join("\n")

/** Moved from the ACK package: the kubeconfig reading both providers share now. */
describe("ProviderKubeconfig.parse", () => {
  it("expiry from `expiration` when ACK gives one", () => {
    const parsed = Either.getOrThrow(parseConfig(config(), "2024-03-10T09:56:17Z"))
    expect(parsed.expiresAt.pipe(Option.map(DateTime.formatIso))).toEqual(Option.some("2024-03-10T09:56:17.000Z"))
    expect(parsed.identity).toBeUndefined()
  })

  it.skipIf(certificate === undefined)("else the client certificate's notAfter; identity is its CN", () => {
    const parsed = Either.getOrThrow(parseConfig(config(certificate), undefined))
    const days = (DateTime.toEpochMillis(Option.getOrThrow(parsed.expiresAt)) - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(1)
    expect(days).toBeLessThanOrEqual(2)
    expect(parsed.identity).toBe("27654321")
  })

  it("not YAML, not a kubeconfig, a bad expiration: reasons without the content", () => {
    expect(Either.getLeft(parseConfig("a: [", undefined))).toEqual(
      Option.some("the kubeconfig is not YAML (YAMLException)")
    )
    expect(Either.isLeft(parseConfig("just text", undefined))).toBe(true)
    expect(Either.isLeft(parseConfig("clusters: 42", undefined))).toBe(true)
    expect(Either.getLeft(parseConfig(config(), "yesterday"))).toEqual(
      Option.some('expiration "yesterday" is not a timestamp')
    )
  })

  it("reads YAML 1.2 core data: `yes` stays a string, `<<` is a plain key, duplicate keys and unknown tags are refused", () => {
    const parsed = Either.getOrThrow(parseConfig(`${config()}\npreferences: {}`, undefined))
    expect(parsed.document.contexts?.[0]?.name).toBe("c")
    // YAML 1.1 would read `yes` as true; the document schema wants a string name
    const yes = Either.getOrThrow(
      parseConfig(
        config().replace("name: c,", "name: yes,").replace("current-context: c", "current-context: yes"),
        undefined
      )
    )
    expect(yes.document.contexts?.[0]?.name).toBe("yes")
    const merge = Either.getOrThrow(parseConfig(`${config()}\n<<: {x-merged: PLANTED}`, undefined))
    expect((merge.document as Record<string, unknown>)["x-merged"]).toBeUndefined()
    expect(Either.getLeft(parseConfig(`${config()}\nkind: Again`, undefined))).toEqual(
      Option.some("the kubeconfig is not YAML (YAMLException)")
    )
    const tagged = Either.getLeft(parseConfig(`${config()}\nx: !PLANTED-tag y`, undefined))
    expect(tagged).toEqual(Option.some("the kubeconfig is not YAML (YAMLException)"))
  })

  it("refuses any alias, so an alias bomb costs nothing; refuses nesting past 100", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 8 }, (_, i) => {
        const name = String.fromCharCode(98 + i)
        const prev = String.fromCharCode(97 + i)
        return `${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`
      })
    ].join("\n")
    expect(Either.getLeft(parseConfig(bomb, undefined))).toEqual(
      Option.some("the kubeconfig uses YAML aliases (anchors and aliases are refused in an answer)")
    )
    const smuggled = config().replace("user: {", "user: &u {").concat("\nx-again: *u")
    expect(Either.getLeft(parseConfig(smuggled, undefined))).toEqual(
      Option.some("the kubeconfig uses YAML aliases (anchors and aliases are refused in an answer)")
    )
    const deep = `${"[".repeat(101)}${"]".repeat(101)}`
    expect(Either.getLeft(parseConfig(deep, undefined))).toEqual(
      Option.some("the kubeconfig is not YAML (YAMLException)")
    )
  })
})
