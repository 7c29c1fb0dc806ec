/**
 * The `kubecred` entry. `kubecred credential` with a warm cache is answered here with node built-ins only
 * (kubectl runs it before every fresh process); everything else loads the Effect program: the bundled
 * `main.cjs` next to this file through a V8 code cache, or, unbundled (tests, development), `main.ts`.
 */
import * as fs from "node:fs"
import { fileURLToPath } from "node:url"
import { loadWithCodeCache } from "./internal/codeCache.js"
import { serveFromCache } from "./internal/credentialFast.js"

const argv = process.argv.slice(2)
if (!(argv[0] === "credential" && serveFromCache(argv, process.env, (text) => process.stdout.write(text)))) {
  const bundled = fileURLToPath(new URL("./main.cjs", import.meta.url))
  const program = fs.existsSync(bundled)
    ? (loadWithCodeCache(bundled) as { main: (argv: ReadonlyArray<string>) => void })
    : await import(["./main", "js"].join("."))
  program.main(process.argv)
}
