/**
 * The action's post step (`post-if: always()`): removes the directory the main step made, kubeconfig and all,
 * whether the job passed or failed. It removes only a `kubecred-` directory directly under RUNNER_TEMP.
 */
import { removeDir } from "./internal/kubeconfigFile.js"
import { type Env, getState, info, warning } from "./internal/runner.js"
import { STATE_DIR } from "./main.js"

export const post = (env: Env): void => {
  const dir = getState(env, STATE_DIR)
  if (dir === undefined) {
    info("kubecred: nothing to clean up")
  } else if (removeDir(dir, env.RUNNER_TEMP)) {
    info(`kubecred: removed ${dir}`)
  } else {
    warning(`kubecred: left ${dir} alone: it is not a kubecred directory under RUNNER_TEMP`)
  }
}
