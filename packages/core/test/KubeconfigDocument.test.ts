import { describe, expect, it } from "@effect/vitest"
import * as Redacted from "effect/Redacted"
import { decodeDocumentEither, encodeDocumentSync } from "../src/KubeconfigDocument.js"
import * as Either from "effect/Either"
import { inspect } from "node:util"

const sample = {
  apiVersion: "v1",
  kind: "Config",
  "current-context": "a",
  preferences: {},
  clusters: [
    {
      name: "c",
      cluster: {
        server: "https://1.2.3.4:6443",
        "certificate-authority-data": "Q0E=",
        "proxy-url": "socks5://p:1080",
        "future-field": { x: 1 }
      }
    }
  ],
  users: [
    { name: "u", user: { "client-certificate-data": "Q0VSVA==", "client-key-data": "S0VZ", token: "t0ken" } },
    {
      name: "e",
      user: {
        exec: {
          apiVersion: "client.authentication.k8s.io/v1",
          command: "kubecred",
          args: ["credential"],
          env: null,
          interactiveMode: "Never"
        }
      }
    }
  ],
  contexts: [
    {
      name: "a",
      context: { cluster: "c", user: "u", namespace: "ns", extensions: [{ name: "x", extension: { y: 2 } }] }
    }
  ],
  extensions: [{ name: "top", extension: "v" }],
  "x-unknown-top": [1, 2, 3]
}

describe("KubeconfigDocument", () => {
  it("round-trips every field, unknown ones included", () => {
    const decoded = decodeDocumentEither(sample)
    if (Either.isLeft(decoded)) throw new Error(String(decoded.left))
    expect(encodeDocumentSync(decoded.right)).toEqual(sample)
  })

  it("holds key material as Redacted, so it never prints", () => {
    const decoded = decodeDocumentEither(sample)
    if (Either.isLeft(decoded)) throw new Error(String(decoded.left))
    const user = decoded.right.users![0]!.user
    expect(Redacted.isRedacted(user["client-key-data"])).toBe(true)
    expect(Redacted.value(user["client-key-data"]!)).toBe("S0VZ")
    const printed = `${JSON.stringify(decoded.right)} ${String(user.token)} ${inspect(decoded.right, { depth: 10 })}`
    expect(printed).not.toContain("S0VZ")
    expect(printed).not.toContain("t0ken")
  })

  it("rejects a document of the wrong kind", () => {
    expect(Either.isLeft(decodeDocumentEither({ kind: "Pod" }))).toBe(true)
    expect(Either.isLeft(decodeDocumentEither({ clusters: [{ name: "x" }] }))).toBe(true)
  })
})
