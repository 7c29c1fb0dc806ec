/**
 * The `kubecred` entry, bundled to dist/kubecred.cjs (CommonJS: node starts it without its ESM loader, a
 * few milliseconds on every kubectl call). `kubecred credential` with a warm cache is answered here with
 * node built-ins only (kubectl runs it before every fresh process); everything else loads the Effect
 * program, the bundled `main.cjs` next to this file, through a V8 code cache. This file and the modules it
 * imports stay free of Effect and of any library: biome's noRestrictedImports and test/fastPath.test.ts.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { serveFromCache } from "./internal/credentialFast.js"

/**
 * Writes to fd 1 directly: `process.stdout` on a pipe (kubectl's) builds a net.Socket, loading node:net and
 * node:stream, about 7 ms of a call that otherwise takes 10. A full non-blocking pipe (EAGAIN) is retried.
 */
const writeStdout = (text: string): void => {
  const bytes = Buffer.from(text, "utf8")
  let offset = 0
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(1, bytes, offset)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error
    }
  }
}

const argv = process.argv.slice(2)
if (!(argv[0] === "credential" && serveFromCache(argv, process.env, writeStdout))) {
  // through npm's bin symlink, argv[1] is the link: main.cjs sits next to the file it points at
  const bundled = path.join(path.dirname(fs.realpathSync(process.argv[1]!)), "main.cjs")
  // No stack is shown without --verbose (errors are one line): capturing none spares every Error its frames,
  // and V8 the line table of the whole bundle that formatting one needs (docs/decisions.md, "Start-up").
  if (!argv.includes("--verbose") && !argv.includes("-v")) Error.stackTraceLimit = 0
  // the loader (node:vm, node:module) only now: a warm `credential` never needs it
  void import("./internal/codeCache.js").then(({ loadWithCodeCache }) => {
    const program = loadWithCodeCache(bundled) as { main: (argv: ReadonlyArray<string>) => void }
    program.main(process.argv)
  })
}
