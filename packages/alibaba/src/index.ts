export * as AckClient from "./AckClient.js"
export * as AckCredentials from "./AckCredentials.js"
export * as AckEndpoint from "./AckEndpoint.js"
export * as AckEnvironment from "./AckEnvironment.js"
export * as AckTransport from "./AckTransport.js"
/** The Promise facade (module `@kubecred/alibaba/Promise`). */
export * as AckPromise from "./Promise.js"
export { fetchKubeconfig, listClusters } from "./Promise.js"
