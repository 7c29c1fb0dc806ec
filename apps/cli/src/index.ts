/**
 * kubecred as a module: the command tree (for embedding or generating docs) and the documented exit codes.
 * The libraries themselves are @kubecred/core, @kubecred/kubeconfig, @kubecred/tencent, @kubecred/alibaba.
 */
export { root, run, VERSION } from "./Cli.js"
export { documentedExitCodes, ExitCode, exitCodeFor } from "./internal/exitCode.js"
