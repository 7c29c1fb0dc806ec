// Fails when the lockfile holds an Effect 4 package or the standalone @effect/schema (docs/decisions.md "The Effect 3 line").
import { readFileSync } from "node:fs"

const lock = readFileSync(new URL("../pnpm-lock.yaml", import.meta.url), "utf8")
const bad = []
for (const line of lock.split("\n")) {
  const m = /^ {2}'?((?:@effect\/[a-z-]+)|effect)@(\d+)\.(\d+)\.\d+/.exec(line)
  if (!m) continue
  const [, name, major, minor] = m
  if (name === "@effect/schema") bad.push(`${name}@${major}.${minor}: use Schema from 'effect'`)
  else if (name === "effect" && major !== "3") bad.push(`effect@${major}.${minor}: the project is on Effect 3`)
  else if (name !== "effect" && major !== "0") bad.push(`${name}@${major}.${minor}: an Effect 4 package`)
}
if (bad.length > 0) {
  console.error(`Effect line check failed:\n${[...new Set(bad)].map((b) => `  ${b}`).join("\n")}`)
  process.exit(1)
}
console.log("Effect line check: only Effect 3 packages in pnpm-lock.yaml")
