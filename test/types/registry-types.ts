/**
 * Compile-time checks, run by `npm run typecheck` (tsc includes test/).
 * Each @ts-expect-error line must fail to compile, or tsc reports the
 * directive as unused.
 */
import { createRegistry, type EnhancedError, passRegistry } from '../../src';
import { passRestV1Registry } from '../../src/core/catalogs';

const service = createRegistry({
  video_not_found: { status: 404, action: 'none', message: 'The video does not exist.' },
  video_gone: { status: [410, 404], action: 'none', message: 'The video was removed.' },
});

export const typed: EnhancedError<'video_not_found'> = service.create('video_not_found');
export const allowedStatus = service.create('video_gone', { status: 404 });
export const v1 = passRestV1Registry.create('internal_error', { status: 405 });

// @ts-expect-error: not a code of the registry
service.create('no_such_code');
// @ts-expect-error: not a code of the built-in catalog
passRegistry.create('no_such_code');
// @ts-expect-error: 404 is not an allowed status of bad_request
passRegistry.create('bad_request', { status: 404 });
// @ts-expect-error: 412 is not an allowed status of internal_error in REST v1
passRestV1Registry.create('internal_error', { status: 412 });
// @ts-expect-error: an action outside the spec's set
createRegistry({ bad_thing: { status: 400, action: 'reboot', message: 'x' } });
