/**
 * The `kubecred` entry. `kubecred credential` with a warm cache is answered here with node built-ins only
 * (kubectl runs it before every fresh process); everything else imports the Effect program.
 */
import { serveFromCache } from "./internal/credentialFast.js"

const argv = process.argv.slice(2)
if (!(argv[0] === "credential" && serveFromCache(argv, process.env, (text) => process.stdout.write(text)))) {
  const { main } = await import("./main.js")
  main(process.argv)
}
