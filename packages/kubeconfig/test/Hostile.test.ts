/**
 * The kubeconfig engine against hostile input, as a library: every field the allow-list refuses (named, never
 * quoted), conflicts with entries kubecred did not write, file kinds that are not regular files, encodings and
 * sizes kubectl would not read, secrets in any YAML style kept out of the diff, and a full disk at lock time.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { type AddOptions, addToText } from "../src/internal/merge.js"
import { make } from "../src/KubeconfigStore.js"
import { MAX_KUBECONFIG_BYTES, readKubeconfig } from "../src/internal/regularFile.js"
import { maskText, showMasked } from "../src/internal/redact.js"
import { FOREIGN, type FetchedSpec, fetchedKubeconfig } from "./fixtures/fetched.js"

const failure = (spec: FetchedSpec, options: AddOptions = {}) => {
  const outcome = addToText("/k/config", FOREIGN, fetchedKubeconfig(spec), options)
  if (Either.isRight(outcome)) throw new Error("expected a refusal")
  return outcome.left
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "kubecred-hostile-"))

describe("the allow-list for what comes from the cloud", () => {
  const cases: ReadonlyArray<readonly [string, NonNullable<FetchedSpec["edit"]>, string]> = [
    ["exec", (raw) => void (raw.users[0]!.user.exec = { apiVersion: "v1", command: "PLANTED" }), 'user."exec"'],
    [
      "auth-provider",
      (raw) => void (raw.users[0]!.user["auth-provider"] = { name: "PLANTED" }),
      'user."auth-provider"'
    ],
    ["tokenFile", (raw) => void (raw.users[0]!.user.tokenFile = "/PLANTED"), 'user."tokenFile"'],
    ["client-key path", (raw) => void (raw.users[0]!.user["client-key"] = "/PLANTED"), 'user."client-key"'],
    ["username", (raw) => void (raw.users[0]!.user.username = "PLANTED"), 'user."username"'],
    ["impersonation", (raw) => void (raw.users[0]!.user.as = "PLANTED"), 'user."as"'],
    ["merge key", (raw) => void (raw.users[0]!.user["<<"] = { exec: "PLANTED" }), 'user."<<"'],
    [
      "insecure",
      (raw) => void (raw.clusters[0]!.cluster["insecure-skip-tls-verify"] = true),
      'cluster."insecure-skip-tls-verify"'
    ],
    [
      "CA path",
      (raw) => void (raw.clusters[0]!.cluster["certificate-authority"] = "/PLANTED"),
      'cluster."certificate-authority"'
    ],
    ["proxy", (raw) => void (raw.clusters[0]!.cluster["proxy-url"] = "http://PLANTED"), 'cluster."proxy-url"'],
    [
      "compression",
      (raw) => void (raw.clusters[0]!.cluster["disable-compression"] = true),
      'cluster."disable-compression"'
    ],
    [
      "http server",
      (raw) => void (raw.clusters[0]!.cluster.server = "http://PLANTED"),
      'cluster."server" is not an https:// URL'
    ],
    [
      "server credentials",
      (raw) => void (raw.clusters[0]!.cluster.server = "https://u:PLANTED@x"),
      'cluster."server" carries credentials'
    ],
    [
      "server newline",
      (raw) => void (raw.clusters[0]!.cluster.server = "https://x\nPLANTED"),
      "contains spaces or control characters"
    ],
    [
      "bad base64",
      (raw) => void (raw.users[0]!.user["client-key-data"] = "PLANTED\n!"),
      'user."client-key-data" is not base64'
    ],
    [
      "context extension",
      (raw) => void (raw.contexts[0]!.context.extensions = [{ name: "PLANTED", extension: 1 }]),
      'context."extensions"'
    ],
    ["namespace", (raw) => void (raw.contexts[0]!.context.namespace = "a\nPLANTED"), 'context."namespace"']
  ]
  for (const [name, edit, field] of cases) {
    it(`refuses ${name}, naming ${field} and never the value`, () => {
      const error = failure({ edit })
      expect(error._tag).toBe("MalformedResponse")
      expect(error.message).toContain(field)
      expect(error.message).not.toContain("PLANTED")
      // --exec replaces the user but the answer is still refused: the cluster body is never copied either.
      expect(failure({ edit }, { exec: { command: "kubecred", args: [], apiVersion: "v1" } })._tag).toBe(
        "MalformedResponse"
      )
    })
  }

  it("kubecred's own additions come after the check; bad ones are input errors", () => {
    const ok = addToText("/k/config", "", fetchedKubeconfig(), { proxyUrl: "socks5://bastion:1080", namespace: "web" })
    expect(Either.isRight(ok) && ok.right.text).toContain("proxy-url: socks5://bastion:1080")
    for (const proxyUrl of ["file:///etc/passwd", "http://a\nb", "javascript:x"]) {
      const bad = addToText("/k/config", "", fetchedKubeconfig(), { proxyUrl })
      expect(Either.isLeft(bad) && bad.left._tag).toBe("InvalidInput")
    }
  })
})

describe("files kubectl reads", () => {
  it.effect("a FIFO, a device and a directory are refused at once; a size over the limit too", () =>
    Effect.gen(function* () {
      const dir = tmp()
      const fifo = path.join(dir, "fifo")
      spawnSync("mkfifo", [fifo])
      const big = path.join(dir, "big")
      fs.writeFileSync(big, "")
      fs.truncateSync(big, MAX_KUBECONFIG_BYTES + 1)
      for (const [file, detail] of [
        [fifo, "is a FIFO, not a regular file"],
        ["/dev/zero", "is a character device, not a regular file"],
        [dir, "is a directory, not a regular file"],
        [big, `over the limit of ${MAX_KUBECONFIG_BYTES} bytes`]
      ] as const) {
        const exit = yield* Effect.exit(readKubeconfig(file))
        expect(Exit.isFailure(exit) && JSON.stringify(exit.cause)).toContain(detail)
      }
    })
  )

  it.effect("invalid UTF-8 and control characters are refused; a BOM is taken off and reported", () =>
    Effect.gen(function* () {
      const dir = tmp()
      const file = path.join(dir, "config")
      fs.writeFileSync(file, Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a]))
      const utf8 = yield* Effect.flip(readKubeconfig(file))
      expect(utf8).toMatchObject({ _tag: "KubeconfigUnreadable", line: 1 })
      expect(utf8.message).toContain("not valid UTF-8")
      fs.writeFileSync(file, "a: b\nc: \u0007\n")
      expect(yield* Effect.flip(readKubeconfig(file))).toMatchObject({ line: 2, column: 4 })
      fs.writeFileSync(file, "\uFEFFapiVersion: v1\n")
      expect(yield* readKubeconfig(file)).toEqual({ text: "apiVersion: v1\n", bom: true })
    })
  )

  it.effect("a BOM file keeps its BOM through an add and parses with the right offsets", () =>
    Effect.gen(function* () {
      const dir = tmp()
      const file = path.join(dir, "config")
      fs.writeFileSync(file, `\uFEFF${FOREIGN}`)
      const store = yield* make({ env: {}, home: dir })
      yield* store.add(fetchedKubeconfig(), { kubeconfig: file })
      const text = fs.readFileSync(file, "utf8")
      expect(text.startsWith("\uFEFF# my clusters")).toBe(true)
      const kubectl = spawnSync("kubectl", ["config", "view", "--kubeconfig", file, "-o", "json"], { encoding: "utf8" })
      expect(kubectl.status, kubectl.stderr).toBe(0)
      expect(JSON.parse(kubectl.stdout).contexts).toHaveLength(4)
      const names = (yield* store.inspect({ kubeconfig: file })).map((s) => s.name)
      expect(names).toEqual(["prod", "staging", "kind-dev", "tencent-ap-guangzhou-cls-a1b2c3d4"])
      // Taking it out again restores the file byte for byte, BOM included.
      yield* store.remove({ provider: "tencent" }, { kubeconfig: file })
      expect(fs.readFileSync(file, "utf8")).toBe(`\uFEFF${FOREIGN}`)
    })
  )
})

describe("redaction by structure", () => {
  it("masks secrets in block, flow, JSON, quoted, block-scalar and aliased form", () => {
    const text = `users:
- name: a
  user: {token: PLANTED1, "password": 'PLANTED2'}
- name: b
  user:
    client-key-data: >-
      PLANTED3
      PLANTED4
    auth-provider: {name: oidc, config: {idp-certificate-authority-data: PLANTED5}}
    exec: {command: x, env: [{name: K, value: PLANTED6}]}
x: &s PLANTED7
y: {token: *s}
`
    const shown = maskText(text).split("\n").map(showMasked).join("\n")
    for (let n = 1; n <= 7; n++) expect(shown).not.toContain(`PLANTED${n}`)
    expect(shown).toContain("user: {token: <redacted>")
    expect(maskText(text)).toHaveLength(text.length)
    expect(maskText('{"users":[{"user":{"token":"PLANTED8"}}]}')).not.toContain("PLANTED8")
  })
})
