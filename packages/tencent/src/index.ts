export * as TkeClient from "./TkeClient.js"
export * as TkeCredentials from "./TkeCredentials.js"
export * as TkePromise from "./Promise.js"
