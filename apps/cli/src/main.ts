/**
 * Wires the layers, runs the command line, and is the one edge where failures become an exit code and one
 * line on stderr (no stack without --verbose, never a secret). @effect/cli's own multi-line error output is
 * silenced; its validation errors are rendered here as one line and exit 2.
 */
import * as CliConfig from "@effect/cli/CliConfig"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import { defaultRetryPolicy, RetryPolicy } from "@kubecred/core/Policy"
import * as KubeconfigStore from "@kubecred/kubeconfig/KubeconfigStore"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import { run } from "./Cli.js"
import { oneLine, renderDefect, renderFailure, scrub, verboseDetails } from "./internal/errors.js"
import { ExitCode } from "./internal/exitCode.js"
import { colorEnabled } from "./internal/output.js"

// @effect/cli's built-in options (--help, --version, --completions, and its --wizard and --log-level, which
// kubecred does not document) stay out of every help page; the footer names the three that matter.
const PlatformLive = Layer.mergeAll(
  NodeFileSystem.layer,
  NodePath.layer,
  NodeTerminal.layer,
  CliConfig.layer({ showBuiltIns: false })
)
export const MainLive = Layer.provideMerge(KubeconfigStore.layer, PlatformLive)

const writeErr = (line: string) => Effect.sync(() => process.stderr.write(`${line}\n`))

const commands = ["get", "add", "list", "sync", "status", "refresh", "remove", "credential", "whoami", "mock"]

/** The subcommand named on the line, if it is one. */
const commandOf = (argv: ReadonlyArray<string>) => {
  const first = argv.slice(2).find((a) => !a.startsWith("-"))
  return first !== undefined && commands.includes(first) ? first : undefined
}

const helpFor = (argv: ReadonlyArray<string>) => {
  const command = commandOf(argv)
  return `kubecred ${command ? `${command} ` : ""}--help`
}

/** The exit code of a finished run, with its one line written. */
export const report = (cause: Cause.Cause<unknown>, argv: ReadonlyArray<string>, verbose: boolean) =>
  Effect.gen(function* () {
    if (Cause.isInterruptedOnly(cause)) return 130
    const failure = Cause.failureOption(cause)
    if (Option.isSome(failure)) {
      const error = failure.value
      if (ValidationError.isValidationError(error)) {
        if (ValidationError.isHelpRequested(error)) return ExitCode.Ok
        const text = oneLine(HelpDoc.toAnsiText(error.error)) || "invalid command line"
        yield* writeErr(scrub(`kubecred: ${text} (hint: see ${helpFor(argv)})`))
        return ExitCode.Usage
      }
      if (typeof error === "object" && error !== null && (error as { _tag?: unknown })._tag === "Reported") {
        return (error as { code: number }).code
      }
      const rendered = renderFailure(error)
      yield* writeErr(rendered.line.replace("kubecred <command> --help", helpFor(argv)))
      if (verbose) for (const line of verboseDetails(error)) yield* writeErr(line)
      return rendered.code
    }
    const defect = Cause.squash(cause)
    const rendered = renderDefect(defect)
    yield* writeErr(rendered.line)
    if (verbose) yield* writeErr(scrub(Cause.pretty(cause)))
    return rendered.code
  })

const ansi = /\u001b\[[0-9;]*m/g

/** @effect/cli prints parse errors itself (several lines): silenced. Help is plain without colour. */
const cliConsole = Effect.map(Effect.console, (base): Console.Console => {
  const plain = !colorEnabled(process.stdout)
  return {
    ...base,
    error: () => Effect.void,
    log: (...args: ReadonlyArray<unknown>) =>
      base.log(...(plain ? args.map((a) => (typeof a === "string" ? a.replace(ansi, "") : a)) : args))
  }
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

export const program = (argv: ReadonlyArray<string>) => {
  const verbose = argv.includes("--verbose") || argv.includes("-v")
  return run(argv).pipe(
    Effect.as(ExitCode.Ok as number),
    Effect.provide(MainLive),
    Effect.provideService(RetryPolicy, retryPolicy(process.env)),
    (self) => Effect.flatMap(cliConsole, (console) => Effect.withConsole(self, console)),
    Effect.catchAllCause((cause) => report(cause, argv, verbose)),
    Effect.provide(Logger.replace(Logger.defaultLogger, stderrLogger)),
    Logger.withMinimumLogLevel(verbose ? LogLevel.Debug : LogLevel.None)
  )
}

export const main = (argv: ReadonlyArray<string>): void =>
  NodeRuntime.runMain(program(argv), {
    disableErrorReporting: true,
    disablePrettyLogger: true,
    // Exit as soon as the program is done (stdout and stderr are synchronous for files and pipes on POSIX):
    // a kept-alive socket or a timer left behind by a library must not delay kubectl or a script.
    teardown: (exit) =>
      process.exit(
        Exit.isSuccess(exit) ? Number(exit.value) : Cause.isInterruptedOnly(exit.cause) ? 130 : ExitCode.Other
      )
  })
