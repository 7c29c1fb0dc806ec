/**
 * A writer killed with SIGKILL at random moments, 100 times: the file always parses and holds either the old
 * or the new content; the lock and temp files a killed writer leaves are cleaned up by the next writer.
 */
import { beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { parseSource } from "../src/internal/source.js"
import { addToText } from "../src/internal/merge.js"
import { bundle, WRITER_ENTRY } from "./fixtures/bundle.js"
import { FOREIGN, fetchedKubeconfig } from "./fixtures/fetched.js"
import { kubectl, startWriter, waitFor } from "./fixtures/processes.js"

let writer = ""
beforeAll(async () => {
  writer = await bundle(WRITER_ENTRY)
}, 60_000)

const KILLS = 100

/** A file big enough (about 200 KB) that the write itself takes a moment. */
const seed = (file: string): string => {
  let text = FOREIGN
  for (let n = 0; n < 30; n++) {
    const outcome = addToText(file, text, fetchedKubeconfig({ clusterId: `cls-seed${n}` }), { setCurrent: false })
    if (Either.isLeft(outcome)) throw outcome.left
    text = outcome.right.text
  }
  return text
}

describe("killed writers", () => {
  it.live(
    "SIGKILL at random moments, 100 times: old or new content, always parseable",
    () =>
      Effect.gen(function* () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubecred-kill-"))
        const file = path.join(dir, "config")
        fs.writeFileSync(file, seed(file), { mode: 0o600 })

        // How long one uninterrupted write takes here: kills land uniformly within it.
        const started = Date.now()
        const first = yield* waitFor(startWriter(writer, file, "cls-timing"))
        expect(first.code, first.stderr).toBe(0)
        const span = Math.max(50, (Date.now() - started) * 1.2)
        console.log(`one write takes ${Date.now() - started} ms here`)

        const outcomes = { old: 0, new: 0 }
        for (let n = 0; n < KILLS; n++) {
          const before = fs.readFileSync(file, "utf8")
          const clusterId = `cls-kill${n}`
          const expected = addToText(file, before, fetchedKubeconfig({ clusterId }))
          if (Either.isLeft(expected)) throw expected.left
          const child = startWriter(writer, file, clusterId)
          const exited = waitFor(child)
          yield* Effect.sleep(Math.floor(Math.random() * span))
          child.kill("SIGKILL")
          yield* exited
          const after = fs.readFileSync(file, "utf8")
          expect(Either.isRight(parseSource(file, after))).toBe(true)
          if (after === before) outcomes.old++
          else {
            expect(after).toBe(expected.right.text)
            outcomes.new++
          }
        }
        // Both outcomes happened: the kills did land before and after the rename.
        expect(outcomes.old).toBeGreaterThan(0)
        expect(outcomes.new).toBeGreaterThan(0)

        // The next writer breaks the dead writer's lock and sweeps its temp files.
        const last = yield* waitFor(startWriter(writer, file, "cls-after"))
        expect(last.code, last.stderr).toBe(0)
        expect(fs.readdirSync(dir)).toEqual(["config"])
        const view = yield* kubectl(file, "config", "view", "-o", "json")
        expect(view.code).toBe(0)
        expect(JSON.parse(view.stdout)["current-context"]).toBe("tencent-ap-guangzhou-cls-after")
      }),
    300_000
  )
})
