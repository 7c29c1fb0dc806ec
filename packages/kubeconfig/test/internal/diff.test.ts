import { generateKeyPairSync } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import fc from "fast-check"
import { type AddOptions, addToText } from "../../src/internal/merge.js"
import { lineEdits } from "../../src/internal/lineDiff.js"
import { CA_DATA, CLIENT_CERT_DATA, CLIENT_KEY_DATA } from "../fixtures/certs.js"
import { changedLines, checkDiff, lcsLength } from "../fixtures/diffCheck.js"
import { FOREIGN, type FetchedSpec, fetchedKubeconfig } from "../fixtures/fetched.js"

/** A dry run (only a dry run computes the diff). */
const add = (text: string, spec: FetchedSpec = {}, options: AddOptions = {}) => {
  const outcome = addToText("/k/config", text, fetchedKubeconfig(spec), { dryRun: true, ...options })
  if (Either.isLeft(outcome)) throw outcome.left
  return outcome.right
}

const NAME = "tencent-ap-guangzhou-cls-a1b2c3d4"
const SECOND = "tencent-ap-guangzhou-cls-second1"
/** A rotated client key, made here (no key material is committed). */
const NEW_KEY = Buffer.from(
  generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ type: "pkcs8", format: "pem" })
).toString("base64")

/** A cluster fetched again with a new client certificate and key (as ACK hands out on every fetch). */
const rotated: FetchedSpec = {
  keyData: NEW_KEY,
  edit: (raw) => {
    raw.users[0]!.user["client-certificate-data"] = CA_DATA
  }
}

const noRawSecret = (diff: string) => {
  for (const secret of [CLIENT_KEY_DATA, NEW_KEY, CLIENT_CERT_DATA, CA_DATA, "not-a-real-token", "hunter2"]) {
    expect(diff).not.toContain(secret)
    expect(diff).not.toContain(secret.slice(0, 24))
  }
}

describe("the dry-run diff shows only what changes", () => {
  for (const [label, start] of [
    ["a file kubecred wrote", "apiVersion: v1\nkind: Config\n"],
    ["a hand-edited file", FOREIGN]
  ] as const) {
    describe(label, () => {
      const one = add(start).text

      it("re-adding the same cluster is no change and no diff", () => {
        const again = add(one)
        expect(again.result.action).toBe("unchanged")
        expect(again.result.diff).toBe("")
        expect(again.text).toBe(one)
      })

      it("a second cluster shows only its added lines and the current-context line", () => {
        const two = add(one, { clusterId: "cls-second1" })
        const { diff } = two.result
        checkDiff(one, two.text, diff)
        const { removed, added } = changedLines(diff)
        expect(removed).toEqual([expect.stringMatching(new RegExp(`^current-context: ${NAME}\\b`))])
        expect(added).toContainEqual(expect.stringMatching(new RegExp(`^current-context: ${SECOND}\\b`)))
        // Every other added line belongs to the new entries: none of the first cluster's blocks is shown again,
        // only the record of the current-context the second one replaces.
        expect(added.filter((line) => line.includes(NAME))).toEqual([
          expect.stringMatching(new RegExp(`^\\s+text: " ${NAME}"$`))
        ])
        expect(added.filter((line) => line.includes("cls-")).every((line) => /cls-second1|text: "/.test(line))).toBe(
          true
        )
        expect(diff).toContain("client-key-data: <redacted>")
        noRawSecret(diff)
      })

      it("an update of one user's certificate and key shows only those two (redacted) lines changing", () => {
        const later = add(one, rotated)
        expect(later.result.action).toBe("updated")
        const { diff } = later.result
        checkDiff(one, later.text, diff)
        const indent = label === "a hand-edited file" ? "      " : "    "
        expect(changedLines(diff)).toEqual({
          removed: [`${indent}client-certificate-data: <redacted>`, `${indent}client-key-data: <redacted>`],
          added: [`${indent}client-certificate-data: <redacted>`, `${indent}client-key-data: <redacted>`]
        })
        expect(diff.match(/^@@/gm)).toHaveLength(1)
        noRawSecret(diff)
      })

      it("a newer fetch of the same credential is no change either", () => {
        const later = add(one, { fetchedAt: "2026-02-01T00:00:00.000Z" })
        expect(later.result.action).toBe("unchanged")
        expect(later.result.diff).toBe("")
      })

      it("a new namespace shows the one added line (and the provenance's fetch time), not the cluster or user", () => {
        const later = add(one, { fetchedAt: "2026-02-01T00:00:00.000Z" }, { namespace: "web" })
        checkDiff(one, later.text, later.result.diff)
        const { removed, added } = changedLines(later.result.diff)
        expect(removed).toEqual([expect.stringMatching(/fetchedAt: "?2026-01-02T03:04:05.000Z"?$/)])
        expect(added).toEqual([
          expect.stringMatching(/fetchedAt: "?2026-02-01T00:00:00.000Z"?$/),
          expect.stringMatching(/^\s+namespace: web$/)
        ])
      })
    })
  }

  it("a JSON file rendered again as YAML is still a correct, minimal, redacted diff", () => {
    const json = JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [], users: [], contexts: [] })
    const added = add(json)
    checkDiff(json, added.text, added.result.diff)
    noRawSecret(added.result.diff)
  })
})

describe("lineEdits", () => {
  const apply = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) => {
    const out: Array<string> = []
    let at = 0
    for (const edit of lineEdits(a, b)) {
      out.push(...a.slice(at, edit.oldAt), ...b.slice(edit.newAt, edit.newAt + edit.newCount))
      at = edit.oldAt + edit.oldCount
    }
    return [...out, ...a.slice(at)]
  }

  it("turns the old lines into the new ones with the fewest changed lines (against an LCS table)", () => {
    const lines = fc.array(fc.constantFrom("a", "b", "c", "d"), { maxLength: 30 })
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        expect(apply(a, b)).toEqual(b)
        const changed = lineEdits(a, b).reduce((sum, edit) => sum + edit.oldCount + edit.newCount, 0)
        expect(changed).toBe(a.length + b.length - 2 * lcsLength(a, b))
      }),
      { numRuns: 500 }
    )
  })

  it("a middle that differs everywhere past the bound is one replaced block, still correct", () => {
    const a = Array.from({ length: 5000 }, (_, i) => `old ${i}`)
    const b = ["head", ...Array.from({ length: 5000 }, (_, i) => `new ${i}`), "tail"]
    const edits = lineEdits(["same", ...a, "end"], ["same", ...b, "end"])
    expect(edits).toEqual([{ oldAt: 1, oldCount: 5000, newAt: 1, newCount: 5002 }])
    expect(apply(a, b)).toEqual(b)
  })
})
