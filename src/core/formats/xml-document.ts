import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';

// Apart from xml.ts so that no public declaration names xmlbuilder2's types:
// a project type-checking its libraries needs them only where they show.

/** An empty XML 1.0, UTF-8 document. */
export function newXmlDocument(): XMLBuilder {
  return create({ version: '1.0', encoding: 'UTF-8' });
}
