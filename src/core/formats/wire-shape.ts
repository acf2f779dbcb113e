import type { Formatter } from './formatter';

/** What the Vimond format needs of a code beyond the envelope: Vimond's own code and title. */
export interface VimondIdentity {
  readonly vimondCode: string;
  readonly title: string;
}

/**
 * The body a built-in formatter writes, for the documentation: the OpenAPI
 * components describe each media type by the formatter that answers it.
 * JSON or XML is read from the formatter's Content-Type.
 */
export type WireShape =
  /** The spec's error object; `fieldErrors` adds `fields` and `omittedFields`. */
  | { readonly kind: 'pass'; readonly fieldErrors: boolean }
  /** RFC 9457 problem details. */
  | { readonly kind: 'problem' }
  /** Vimond's `{"errors": [...]}`: each registry code as its row's identity, any other as `unknown`. */
  | { readonly kind: 'vimond'; readonly identities: ReadonlyMap<string, VimondIdentity>; readonly unknown: VimondIdentity };

// Keyed by the formatter object itself: a copy or a wrapper, which may write anything, is not described.
const shapes = new WeakMap<Formatter, WireShape>();

/** Records what `formatter` writes; returns it. */
export function withWireShape<F extends Formatter>(formatter: F, shape: WireShape): F {
  shapes.set(formatter, shape);
  return formatter;
}

/** What a built-in formatter writes; undefined for any other formatter. */
export function wireShapeOf(formatter: Formatter): WireShape | undefined {
  return shapes.get(formatter);
}
