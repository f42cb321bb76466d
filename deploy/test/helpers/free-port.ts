// The ports every test's child processes listen on (see there).
export { freePort } from '../../../packages/server/test/helpers/free-port.js';
