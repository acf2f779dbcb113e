import type request from 'supertest';
import { type EnhancedErrorHandlerOptions, passRegistry, type RegistryView } from '../../src';
import { passRestV1Registry, passRestV2Registry, vimondCatalog, vimondRegistry } from '../../src/core/catalogs';
import { vimondFormatter } from '../../src/core/formats';

export type BuiltInRegistryName = 'passRegistry' | 'passRestV2Registry' | 'passRestV1Registry' | 'vimondRegistry';

/** The handler's options of a service on each built-in registry: the object it gives the integrations too. */
export const BUILT_IN_SERVICES: readonly (readonly [BuiltInRegistryName, EnhancedErrorHandlerOptions & { registry: RegistryView }])[] = [
  ['passRegistry', { registry: passRegistry }],
  ['passRestV2Registry', { registry: passRestV2Registry }],
  ['passRestV1Registry', { registry: passRestV1Registry }],
  ['vimondRegistry', { registry: vimondRegistry, formatters: [vimondFormatter] }],
];

/** The code as the client read it: the Pass envelope's, or Vimond's `TITLE code`. */
export function codeSent(res: request.Response): string {
  const body = res.body as { code?: string; errors?: { title: string; code: string }[] };
  return body.code ?? `${body.errors?.[0]?.title} ${body.errors?.[0]?.code}`;
}

/** What a client of a service with these options reads for a registry code: Vimond sends a code without a row as UNKNOWN 0. */
export function asSent(options: EnhancedErrorHandlerOptions, code: string): string {
  if (options.registry !== vimondRegistry) return code;
  const row = (vimondCatalog as Record<string, { title: string; vimondCode: string } | undefined>)[code];
  return row === undefined ? 'UNKNOWN 0' : `${row.title} ${row.vimondCode}`;
}
