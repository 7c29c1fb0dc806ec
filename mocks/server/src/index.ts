export {
  type FaultRule,
  layer,
  make,
  type MockCloud,
  type MockCloudOptions,
  MockCloudServer,
  type ReadyClusterAlibaba,
  type ReadyClusterTencent,
  type ReadyInfo,
  readyInfo,
  start
} from "./MockCloud.js"
export { defaults as defaultFixtures, type Fixtures, FixturesError } from "./Fixtures.js"
