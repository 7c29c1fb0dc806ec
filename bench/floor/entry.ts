// The floor's entry, loaded exactly as kubecred's bin loads its program: main.cjs through the V8 code cache.
import { fileURLToPath } from "node:url"
import { loadWithCodeCache } from "../../apps/cli/src/internal/codeCache.js"

const program = loadWithCodeCache(fileURLToPath(new URL("./program.cjs", import.meta.url))) as {
  main: (argv: ReadonlyArray<string>) => void
}
program.main(process.argv)
