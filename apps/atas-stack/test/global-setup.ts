import { ensureAdminBuild } from '../../../packages/admin/test/helpers/admin-build.js';
import { ensureWebBuild } from '../src/web-build.js';

/**
 * Builds the ATAS web app and the admin console once (when their sources changed) before
 * the test files that open them run in parallel.
 */
export default async function setup(): Promise<void> {
  if (await ensureWebBuild()) console.log('Built the ATAS web app (next build) for the tests.');
  if (await ensureAdminBuild()) console.log('Built the admin console (vite build) for the tests.');
}
