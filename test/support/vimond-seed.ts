import vimondCodes from '../fixtures/vimond-codes.json';

/**
 * Vimond's error code table as data, in test/fixtures/vimond-codes.json
 * (source named there; scripts/extract-spec-fixtures.ts wrote it).
 */
export interface VimondSeedRow {
  code: string;
  title: string;
  description: string;
}

/** Every row of Vimond's code tables, in the page's order. */
export function vimondSeedRows(): VimondSeedRow[] {
  return vimondCodes.rows;
}
