/**
 * The bundle's entry, for both steps: the main step saves `isPost` first, so the runner hands the post step
 * `STATE_isPost` (as @actions/core's state-helper pattern does). A failure is one `::error::` line and exit 1.
 */
import { type Context, describe } from "./internal/annotation.js"
import { error, getState, saveState } from "./internal/runner.js"
import { main } from "./main.js"
import { post } from "./post.js"

const env = process.env
const context: Context = { inputs: undefined, subject: undefined }

const step = async () => {
  if (getState(env, "isPost")) return post(env)
  saveState(env, "isPost", "true")
  return main(env, context)
}

step().catch((failure: unknown) => {
  error(`kubecred: ${describe(failure, context)}`)
  process.exitCode = 1
})
