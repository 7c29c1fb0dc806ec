/**
 * The platform services @effect/cli requires (FileSystem, Path, Terminal), each built on first use and given as a
 * plain service: kubecred's commands use none of them (only @effect/cli's file options, config files and
 * `--wizard` would), and providing them as Layers cost every start about 640 Effect operations to build and tear
 * down. The terminal matters most: NodeTerminal's `make` reads `process.stdin` at once, and on a pipe (kubectl's
 * exec, a script, bench/cli) node builds a socket for it, about 5 ms; its module loads node:readline
 * (docs/decisions.md, "Start-up").
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Terminal from "@effect/platform/Terminal"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"

/**
 * The service of a Layer without finalizers, built (synchronously) the first time one of its members is read.
 * Its methods are the real service's, bound to it.
 */
export const onFirstUse = <I, S extends object>(tag: Context.Tag<I, S>, layer: Layer.Layer<I>): S => {
  let real: S | undefined
  const get = (): S => {
    real ??= Context.get(Effect.runSync(Effect.scoped(Layer.build(layer))), tag)
    return real
  }
  return new Proxy({} as S, {
    get: (_, key) => {
      const service = get()
      const value: unknown = Reflect.get(service, key)
      return typeof value === "function" ? value.bind(service) : value
    },
    has: (_, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(get(), key)
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true }
    }
  })
}

/**
 * A Terminal whose size and TTY checks read stdout, and whose input and display build NodeTerminal's once (its
 * readline interface comes and goes with each read, in the reader's scope).
 */
export const terminal = (): Terminal.Terminal => {
  let real: Promise<Terminal.Terminal> | undefined
  const build = Effect.flatMap(
    Effect.all([Effect.promise(() => import("@effect/platform-node/NodeTerminal")), Scope.make()]),
    ([NodeTerminal, scope]) => Scope.extend(NodeTerminal.make(), scope)
  )
  const use = Effect.promise(() => {
    real ??= Effect.runPromise(build)
    return real
  })
  return Terminal.Terminal.of({
    columns: Effect.sync(() => process.stdout.columns ?? 0),
    rows: Effect.sync(() => process.stdout.rows ?? 0),
    isTTY: Effect.sync(() => Boolean(process.stdout.isTTY)),
    readInput: Effect.flatMap(use, (t) => t.readInput),
    readLine: Effect.flatMap(use, (t) => t.readLine),
    display: (text) => Effect.flatMap(use, (t) => t.display(text))
  })
}

/** The three services, provided as values. */
export const providePlatform = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  self.pipe(
    Effect.provideService(FileSystem.FileSystem, onFirstUse(FileSystem.FileSystem, NodeFileSystem.layer)),
    Effect.provideService(Path.Path, onFirstUse(Path.Path, NodePath.layer)),
    Effect.provideService(Terminal.Terminal, terminal())
  )
