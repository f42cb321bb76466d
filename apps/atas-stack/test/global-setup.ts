import { ensureWebBuild } from '../src/web-build.js';

/** Builds the ATAS web app once before the test files that start it run in parallel. */
export default async function setup(): Promise<void> {
  if (await ensureWebBuild()) console.log('Built the ATAS web app (next build) for the tests.');
}
