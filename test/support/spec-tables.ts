import specTables from '../fixtures/spec-tables.json';

/**
 * The specification's code tables as data, in test/fixtures/spec-tables.json.
 * Each table names its source document; scripts/extract-spec-fixtures.ts wrote them.
 */
export interface TableRow {
  action: string;
  code: string;
  statuses: number[];
  message: string;
}

/** The canonical page's "Error Codes" table. */
export function canonicalTable(): TableRow[] {
  return specTables.canonical.rows;
}

/** The newer page's REST API v2 list. */
export function restV2Table(): TableRow[] {
  return specTables.restV2.rows;
}

/** The newer page's (Legacy) REST API v1 list. */
export function restV1Table(): TableRow[] {
  return specTables.restV1.rows;
}

/** The canonical page's three categories of actions, as action → category. */
export function specActionCategories(): Map<string, string> {
  return new Map(Object.entries(specTables.actionCategories.categories));
}

/** The newer page's action table: each action with its category sentence ("Fix the request context."). */
export function latestActionCategories(): Map<string, string> {
  return new Map(Object.entries(specTables.latestActionCategories.categories));
}
