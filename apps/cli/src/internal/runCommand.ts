/**
 * Runs one command under @effect/cli: the root holds only the command on the line (main.ts loaded just
 * that one), the platform and kubeconfig layers are provided, and the outcome becomes an exit code. Only the
 * parser's own error printing is silenced (kubecred says it again in one line, report below); the command's
 * handler keeps the real console.
 */
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { defaultRetryPolicy, RetryPolicy } from "@kubecred/core/Policy"
import * as KubeconfigStore from "@kubecred/kubeconfig/KubeconfigStore"
import * as Cause from "effect/Cause"
import type * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as HashSet from "effect/HashSet"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import { type CommandName, type Line, VERSION } from "./commandTable.js"
import { oneLine, renderDefect, renderFailure, scrub } from "./errors.js"
import { ExitCode } from "./exitCode.js"
import { providePlatform } from "./lazyPlatform.js"
import { explain } from "./verbose.js"

/**
 * The kubeconfig store and the platform, provided as values: a merged Layer of the four cost a start about
 * 1,600 Effect operations to build and tear down, four separate ones about 600, values a few dozen
 * (docs/decisions.md, "Start-up"). The platform services are built on first use (lazyPlatform.ts).
 */
const provideMain = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  self.pipe(Effect.provideServiceEffect(KubeconfigStore.KubeconfigStore, KubeconfigStore.make()), providePlatform)

const writeErr = (line: string) => Effect.sync(() => process.stderr.write(`${line}\n`))

/** The exit code of a finished run, with its one line written (and, with --verbose, the causes). */
export const report = (cause: Cause.Cause<unknown>, command: CommandName, line: Line) =>
  Effect.gen(function* () {
    if (Cause.isInterruptedOnly(cause)) return 130
    const failure = Cause.failureOption(cause)
    if (Option.isSome(failure)) {
      const error = failure.value
      if (ValidationError.isValidationError(error)) {
        if (ValidationError.isHelpRequested(error)) return ExitCode.Ok
        const text = oneLine(HelpDoc.toAnsiText(error.error)) || "invalid command line"
        const { rewrite, usageError } = yield* Effect.promise(() => import("./usage.js"))
        const said = rewrite(command, text, line.argv)
        return usageError(command, said.message, said.word)
      }
      if (typeof error === "object" && error !== null && (error as { _tag?: unknown })._tag === "Reported") {
        return (error as { code: number }).code
      }
      const rendered = renderFailure(error)
      yield* writeErr(rendered.line.replace("kubecred <command> --help", `kubecred ${command} --help`))
      if (line.verbose) for (const detail of explain(error)) yield* writeErr(detail)
      return rendered.code
    }
    const defect = Cause.squash(cause)
    const rendered = renderDefect(defect)
    yield* writeErr(rendered.line)
    if (line.verbose) for (const detail of explain(defect)) yield* writeErr(detail)
    return rendered.code
  })

const stderrLogger = Logger.make(({ logLevel, message }) => {
  const text = Array.isArray(message) ? message.map(String).join(" ") : String(message)
  process.stderr.write(`${scrub(`kubecred ${logLevel.label.toLowerCase()}: ${text}`)}\n`)
})

/** KUBECRED_RETRIES=N caps retries of retryable provider errors (default 8; 0 = fail on the first). */
const retryPolicy = (env: NodeJS.ProcessEnv) => {
  const raw = env.KUBECRED_RETRIES
  const n = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw)
  return Number.isInteger(n) && n >= 0 && n <= 100 ? { ...defaultRetryPolicy, maxRetries: n } : defaultRetryPolicy
}

/** @effect/cli prints its parse errors itself, over several lines: while it parses, Console.error is silent. */
const parserConsole = (real: Console.Console): Console.Console => ({ ...real, error: () => Effect.void })

export const program = (
  command: Command.Command<any, any, any, any>,
  name: CommandName,
  line: Line,
  head: ReadonlyArray<string>
): Effect.Effect<number> =>
  Effect.flatMap(Effect.console, (real) => {
    const own = Command.transformHandler(command, (handler) => Effect.withConsole(handler, real))
    const root = Command.make("kubecred").pipe(Command.withSubcommands([own]))
    const run = Command.run(root, { name: "kubecred", version: VERSION })
    // the command's scope (its providers, built by Command.provideEffect) closes when the command ends
    return (Effect.scoped(run([...head, ...line.argv])) as Effect.Effect<void, unknown, any>).pipe(
      Effect.as(ExitCode.Ok as number),
      provideMain,
      Effect.provideService(RetryPolicy, retryPolicy(process.env)),
      (self) => Effect.withConsole(self, parserConsole(real)),
      Effect.catchAllCause((cause) => report(cause, name, line)),
      // Logger.replace as a FiberRef change, not a Layer (two scoped layers cost ~400 Effect operations)
      Effect.locallyWith(FiberRef.currentLoggers, (loggers) =>
        HashSet.add(HashSet.remove(loggers, Logger.defaultLogger), stderrLogger)
      ),
      Logger.withMinimumLogLevel(line.verbose ? LogLevel.Debug : LogLevel.None),
      // nothing exports the CLI's spans: without a tracer, a call makes none (and sends no traceparent)
      Effect.withTracerEnabled(false)
    ) as Effect.Effect<number>
  })

export const runCommand = (
  command: Command.Command<any, any, any, any>,
  name: CommandName,
  line: Line,
  head: ReadonlyArray<string>,
  teardown: (exit: Exit.Exit<unknown, unknown>) => void
): void =>
  NodeRuntime.runMain(program(command, name, line, head), {
    disableErrorReporting: true,
    disablePrettyLogger: true,
    // Exit as soon as the program is done (stdout and stderr are synchronous for files and pipes on POSIX):
    // a kept-alive socket or a timer left behind by a library must not delay kubectl or a script.
    teardown
  })
