/**
 * The Terminal @effect/cli requires, built on first use. NodeTerminal's `make` reads `process.stdin` at once,
 * and on a pipe (kubectl's exec, a script, bench/cli) node builds a socket for it, about 5 ms; its module loads
 * node:readline. No kubecred command prompts (only @effect/cli's own `--wizard` would), so a run pays for
 * neither unless something reads from the terminal (docs/decisions.md, "Start-up").
 */
import * as Terminal from "@effect/platform/Terminal"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"

/** A Terminal whose size and TTY checks read stdout, and whose input and output build NodeTerminal's once. */
export const make: Effect.Effect<Terminal.Terminal, never, Scope.Scope> = Effect.gen(function* () {
  const scope = yield* Effect.scope
  const real = yield* Effect.cached(
    Effect.flatMap(
      Effect.promise(() => import("@effect/platform-node/NodeTerminal")),
      (NodeTerminal) => Scope.extend(NodeTerminal.make(), scope)
    )
  )
  return Terminal.Terminal.of({
    columns: Effect.sync(() => process.stdout.columns ?? 0),
    rows: Effect.sync(() => process.stdout.rows ?? 0),
    isTTY: Effect.sync(() => Boolean(process.stdout.isTTY)),
    readInput: Effect.flatMap(real, (terminal) => terminal.readInput),
    readLine: Effect.flatMap(real, (terminal) => terminal.readLine),
    display: (text) => Effect.flatMap(real, (terminal) => terminal.display(text))
  })
})

export const layer: Layer.Layer<Terminal.Terminal> = Layer.scoped(Terminal.Terminal, make)
