export { startStack, type Stack, type StackOptions } from './stack.js';
export { ChildService, type ChildServiceOptions } from './child-service.js';
export { seedDemo, type DemoAccount } from './demo-seed.js';
export { ensureWebBuild, WEB_DIR } from './web-build.js';
