// A throwaway npm registry for the consumer test: verdaccio on 127.0.0.1 at a free port, serving only the
// kubecred packages published to it (no uplink: whatever else a package needed would fail to install from it).
//   node consumer/registry.mjs <work dir>   (prints the port on stdout once listening)
import { join } from "node:path"
import { runServer } from "verdaccio"

const [work] = process.argv.slice(2)
const local = { access: "$all", publish: "$authenticated" }
const server = await runServer({
  self_path: join(work, "config.yaml"),
  storage: join(work, "storage"),
  auth: { htpasswd: { file: join(work, "htpasswd"), max_users: 10 } },
  packages: { kubecred: local, "@kubecred/*": local },
  log: { type: "stdout", format: "pretty", level: "warn" },
  web: { enable: false }
})
server.listen(0, "127.0.0.1", () => console.log(server.address().port))
process.on("SIGTERM", () => server.close(() => process.exit(0)))
